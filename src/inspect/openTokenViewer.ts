import type { Services } from '../services';
import type { TokenView } from '../tokenPanels/protocol';
import { inspectToken } from '../tokenPanels/tokenInspection';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { showTokenViewer, type TokenViewerController } from '../tokenPanels/tokenViewerPanel';

let opened = 0;

export interface OpenedToken {
  readonly view: TokenView;
  /** The panel showing it; absent when the text was not a token (a message said why). */
  readonly viewer?: TokenViewerController;
}

/**
 * One token decoded and verified (when its issuer is a connected org or the emulator) in the token
 * viewer, the same cards as the minter's results; text that is not a token gets a warning saying why.
 * Shared by Decode Token, the debugger's Decode Token and the terminal's token links.
 */
export async function openTokenViewer(
  services: Services,
  token: string,
  options: { readonly title: string; readonly summary: string; readonly facts?: readonly { label: string; value: string }[] },
): Promise<OpenedToken> {
  const view = await inspectToken(token, {
    tokenId: `decoded-${++opened}`,
    title: options.title,
    verifier: services.tokenVerifier,
    verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
    ...(options.facts ? { facts: options.facts } : {}),
  });
  if (view.kind === 'malformed') {
    void services.ui.warn(`Not a token that can be decoded: ${view.verdict.message}`);
    return { view };
  }
  const viewer = showTokenViewer(services, {
    title: view.kind === 'jwt' ? 'Decoded JWT' : 'Opaque SlashID token',
    summary: options.summary,
    tokens: [{ view, held: { raw: token, title: options.title, ...(view.payload !== undefined ? { payloadJson: view.payload } : {}) } }],
  });
  return { view, viewer };
}
