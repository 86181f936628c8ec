import type * as vscode from 'vscode';
import type { Services } from '../services';
import type { RecognizedTokenKind } from '../tokens/recognize';
import { mayHoldToken } from '../tokens/mayHoldToken';

/**
 * A token printed in a terminal, as a link (a plain object: VS Code takes any `TerminalLink`-shaped
 * value and hands the same object back on activation); the token stays in this extension host's memory.
 */
export interface TokenTerminalLink extends vscode.TerminalLink {
  readonly kind: RecognizedTokenKind;
  readonly token: string;
}

const TOOLTIPS: Record<RecognizedTokenKind, string> = {
  jwt: 'Decode JWT (SlashID)',
  'opaque-access-token': 'Inspect SlashID access token',
  'opaque-refresh-token': 'Inspect SlashID refresh token',
};

/** Tokens per terminal line made into links, at most. */
const MAX_LINKS_PER_LINE = 20;

/**
 * JWTs and opaque SlashID tokens (`sid_at_…`, `sid_rt_…`) printed in any terminal become links that open
 * the token viewer. VS Code hands a provider one (wrapped) line at a time; lines without `eyJ` or `sid_`
 * are dismissed before any regular expression, and each call builds its own expression (recognition
 * keeps no state between lines or terminals).
 */
export class TerminalTokenLinkProvider implements vscode.TerminalLinkProvider<TokenTerminalLink> {
  constructor(private readonly services: Services) {}

  async provideTerminalLinks(context: vscode.TerminalLinkContext): Promise<TokenTerminalLink[]> {
    const line = context.line;
    if (!mayHoldToken(line)) return [];
    const { findTokens } = await import('../tokens/recognize.js');
    return findTokens(line, { maxTokens: MAX_LINKS_PER_LINE, includeLongLines: true }).map((found) => {
      const start = found.bearer?.start ?? found.start;
      const link: TokenTerminalLink = {
        startIndex: start,
        length: found.end - start,
        tooltip: TOOLTIPS[found.kind],
        kind: found.kind,
        token: found.value,
      };
      return link;
    });
  }

  async handleTerminalLink(link: TokenTerminalLink): Promise<void> {
    try {
      const { openTokenViewer } = await import('./openTokenViewer.js');
      await openTokenViewer(this.services, link.token, {
        title: link.kind === 'jwt' ? 'Terminal JWT' : 'Terminal token',
        summary: 'From a terminal.',
      });
    } catch (err) {
      const { describeFailure } = await import('../common/failures.js');
      const message = describeFailure(err);
      this.services.log.error('terminal', `opening a token from a terminal failed: ${message}`);
      void this.services.ui.error(message);
    }
  }
}
