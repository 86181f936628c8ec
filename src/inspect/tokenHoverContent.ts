import type * as vscode from 'vscode';
import type { Services } from '../services';
import { inspectToken } from '../tokenPanels/tokenInspection';
import { tokenMarkdownString } from './tokenRendering';
import { HOVER_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';

/** A hovered token decoded, verified when its issuer is known (at most 1.5 s), and rendered. */
export async function tokenHoverContent(services: Services, token: string, title: string): Promise<vscode.MarkdownString> {
  const view = await inspectToken(token, {
    tokenId: 'hover',
    title,
    verifier: services.tokenVerifier,
    verifyTimeoutMs: HOVER_VERIFY_TIMEOUT_MS,
  });
  return tokenMarkdownString(view);
}
