import * as vscode from 'vscode';
import type { Services } from '../services';
import { tokenAt, type RecognizedTokenKind } from '../tokens/recognize';
import type { LineTokenAnalysis } from '../tokens/cutTokens';
import { DEFAULT_MAX_LINE_LENGTH, mayContinueToken, mayHoldToken } from '../tokens/mayHoldToken';

/** The decoder, jose, the verifier and the renderer, loaded on the first token hovered (not at activation), then kept. */
let hoverContent: typeof import('./tokenHoverContent.js') | undefined;
let cutTokens: typeof import('../tokens/cutTokens.js') | undefined;

const TITLES: Record<RecognizedTokenKind, string> = {
  jwt: 'JWT',
  'opaque-access-token': 'SlashID access token',
  'opaque-refresh-token': 'SlashID refresh token',
};

/**
 * A hover over a JWT, a `Bearer <jwt>` or an opaque SlashID token: decoded header and payload, times,
 * and, when its issuer is a connected org (or the emulator), the verification verdict. Never blocks
 * typing: only the hovered line is read (and the next one, only when a JWT ends the line cut), lines
 * without `eyJ` or `sid_` are dismissed before any regular expression, lines over 20,000 characters are
 * skipped, tokens over 64 KB ignored, and the verdict waits at most 1.5 s. A JWT wrapped onto the next
 * line is joined (and the hover says so); a truncated one is called cut rather than badly signed.
 */
export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    cancel: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (position.line >= document.lineCount) return undefined;
    const line = document.lineAt(position.line).text;
    if (line.length > DEFAULT_MAX_LINE_LENGTH) return undefined;
    if (!mayHoldToken(line)) return this.continuationHover(document, position, line, cancel);
    if (!vscode.workspace.getConfiguration('slashid', document).get<boolean>('hover.enabled', true)) return undefined;
    const found = tokenAt(line, position.character);
    if (found && found.kind !== 'jwt') {
      hoverContent ??= await import('./tokenHoverContent.js');
      const content = await hoverContent.tokenHoverContent(this.services, found.value, this.titleOf(found));
      if (cancel.isCancellationRequested) return undefined;
      return new vscode.Hover(content, new vscode.Range(position.line, found.bearer?.start ?? found.start, position.line, found.end));
    }
    // JWTs (and starts of JWTs, which recognition does not take) may be cut: the cut-token module decides.
    cutTokens ??= await import('../tokens/cutTokens.js');
    const { jwtFragmentAt, analyzeLineToken } = cutTokens;
    const fragment = jwtFragmentAt(line, position.character);
    if (!fragment) return this.continuationHover(document, position, line, cancel);
    const next = () => (position.line + 1 < document.lineCount ? document.lineAt(position.line + 1).text.slice(0, 70_000) : undefined);
    // A whole token inside its line needs no judging here: the inspection calls a short signature cut.
    const analysis: LineTokenAnalysis =
      found && fragment.parts === 3 && !fragment.atLineEnd ? { kind: 'whole', token: found.value } : analyzeLineToken(fragment, next);
    const title = found ? this.titleOf(found) : 'JWT';
    hoverContent ??= await import('./tokenHoverContent.js');
    const { tokenHoverContent, cutTokenHoverContent } = hoverContent;
    const start = found?.bearer?.start ?? fragment.start;
    let content: vscode.MarkdownString;
    let range = new vscode.Range(position.line, start, position.line, fragment.end);
    if (analysis.kind === 'cut' && fragment.parts < 3) {
      content = cutTokenHoverContent(title, analysis.message);
    } else if (analysis.kind === 'joined') {
      content = await tokenHoverContent(this.services, analysis.token, title, joinedFact(analysis, position.line + 1));
      const continuationStart = document.lineAt(position.line + 1).firstNonWhitespaceCharacterIndex;
      range = new vscode.Range(position.line, start, position.line + 1, continuationStart + analysis.continuationLength);
    } else {
      content = await tokenHoverContent(this.services, analysis.token, title);
    }
    if (cancel.isCancellationRequested) return undefined;
    return new vscode.Hover(content, range);
  }

  /**
   * The hovered line may hold the rest of a JWT that the line before ends with (a token wrapped onto two
   * lines): the same joined hover as over its first part, when the pointer is on the continuation.
   */
  private async continuationHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    line: string,
    cancel: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (position.line === 0) return undefined;
    // Only when the pointer is on the run of token characters that starts the line is the line before
    // read: any other hover reads the hovered line alone.
    if (!mayContinueToken(line, position.character)) return undefined;
    const continuationStart = line.search(/\S/);
    const previous = document.lineAt(position.line - 1).text;
    if (previous.length > DEFAULT_MAX_LINE_LENGTH || !mayHoldToken(previous)) return undefined;
    const lastChar = previous.trimEnd().length - 1;
    if (lastChar < 0) return undefined;
    if (!vscode.workspace.getConfiguration('slashid', document).get<boolean>('hover.enabled', true)) return undefined;
    cutTokens ??= await import('../tokens/cutTokens.js');
    const fragment = cutTokens.jwtFragmentAt(previous, lastChar);
    if (!fragment?.atLineEnd) return undefined;
    const analysis = cutTokens.analyzeLineToken(fragment, line.slice(0, 70_000));
    if (analysis.kind !== 'joined' || position.character > continuationStart + analysis.continuationLength) return undefined;
    const found = tokenAt(previous, fragment.start);
    hoverContent ??= await import('./tokenHoverContent.js');
    const content = await hoverContent.tokenHoverContent(
      this.services,
      analysis.token,
      found ? this.titleOf(found) : 'JWT',
      joinedFact(analysis, position.line), // position.line is the line before, 1-based
    );
    if (cancel.isCancellationRequested) return undefined;
    const start = found?.bearer?.start ?? fragment.start;
    return new vscode.Hover(
      content,
      new vscode.Range(position.line - 1, start, position.line, continuationStart + analysis.continuationLength),
    );
  }

  private titleOf(found: { kind: RecognizedTokenKind; bearer?: unknown }): string {
    return found.bearer ? `Bearer ${TITLES[found.kind]}` : TITLES[found.kind];
  }
}

/** The hover's fact for a token joined across two lines; `firstLine` is the 1-based line where it starts. */
function joinedFact(analysis: { continuationLength: number }, firstLine: number): { label: string; value: string } {
  return {
    label: 'Joined',
    value: `with the ${analysis.continuationLength.toLocaleString('en-US')} characters that continue it on line ${firstLine + 1}`,
  };
}
