import * as vscode from 'vscode';
import type { Services } from '../services';
import { inspectToken } from '../tokenPanels/tokenInspection';
import { escapeInlineMarkdown, tokenMarkdownString } from './tokenRendering';
import { HOVER_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { VERDICT_LABELS } from '../tokenPanels/verdicts';

/** A hovered token decoded, verified when its issuer is known (at most 1.5 s), and rendered. */
export async function tokenHoverContent(
  services: Services,
  token: string,
  title: string,
  fact?: { label: string; value: string },
): Promise<vscode.MarkdownString> {
  const view = await inspectToken(token, {
    tokenId: 'hover',
    title,
    verifier: services.tokenVerifier,
    verifyTimeoutMs: HOVER_VERIFY_TIMEOUT_MS,
    ...(fact ? { facts: [fact] } : {}),
  });
  return tokenMarkdownString(view);
}

/** A start of a JWT (one or two of its parts) that the next line does not complete. */
export function cutTokenHoverContent(title: string, message: string): vscode.MarkdownString {
  const verdict = VERDICT_LABELS.cut;
  const markdown = new vscode.MarkdownString(
    `**${escapeInlineMarkdown(title)}**\n\n$(${verdict.icon}) **${verdict.label}** — ${escapeInlineMarkdown(message)}`,
    true,
  );
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}
