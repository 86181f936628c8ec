import type { Services } from '../../services';
import type { TokenView } from '../../tokenPanels/protocol';
import { decodeToken } from '../../tokens/decode';
import { inspectToken } from '../../tokenPanels/tokenInspection';
import { PANEL_VERIFY_TIMEOUT_MS } from '../../orgs/tokenVerifier';
import { looksLikeSlashIdToken, readTokenInput } from '../tokenSource';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';

export interface DecodeTokenResult {
  readonly view: TokenView;
  /** The panel showing it; absent when the text was not a token (a message said why). */
  readonly viewer?: TokenViewerController;
}

let decodeCount = 0;

/**
 * "SlashID: Decode Token": the selection, the token under the cursor, the clipboard or a typed token,
 * decoded and verified (when its issuer is a connected org or the emulator) in the same cards as the
 * minter's results. Text that is not a token gets a message saying exactly why.
 */
export async function decodeTokenCommand(services: Services, argument?: unknown): Promise<DecodeTokenResult | undefined> {
  const input = await readTokenInput({
    argument,
    accept: looksLikeSlashIdToken,
    prompt: 'Paste a JWT (or "Bearer <jwt>", or an opaque sid_at_/sid_rt_ token) to decode',
    placeHolder: 'eyJhbGciOi…',
    validate: (text) => {
      const trimmed = text.trim();
      if (/^(?:bearer\s+)?sid_(?:at|rt)_/i.test(trimmed)) return undefined;
      const decoded = decodeToken(trimmed);
      return decoded.ok ? undefined : decoded.message;
    },
  });
  if (!input) return undefined;
  const view = await inspectToken(input.token, {
    tokenId: `decoded-${++decodeCount}`,
    title: 'Decoded token',
    verifier: services.tokenVerifier,
    verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
  });
  if (view.kind === 'malformed') {
    void services.ui.warn(`Not a token that can be decoded: ${view.verdict.message}`);
    return { view };
  }
  const viewer = showTokenViewer(services, {
    title: view.kind === 'jwt' ? 'Decoded JWT' : 'Opaque SlashID token',
    summary: `From the ${input.source === 'input' ? 'text you entered' : input.source}.`,
    tokens: [
      { view, held: { raw: input.token, title: 'Decoded token', ...(view.payload !== undefined ? { payloadJson: view.payload } : {}) } },
    ],
  });
  return { view, viewer };
}
