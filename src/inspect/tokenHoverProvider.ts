import * as vscode from 'vscode';
import type { Services } from '../services';
import { DEFAULT_MAX_LINE_LENGTH, tokenAt, type RecognizedTokenKind } from '../tokens/recognize';

/** Where the hover works: files, untitled editors, output channels and debug-adapter sources. */
export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'output' },
  { scheme: 'debug' },
  { scheme: 'vscode-notebook-cell' },
];

const TITLES: Record<RecognizedTokenKind, string> = {
  jwt: 'JWT',
  'opaque-access-token': 'SlashID access token',
  'opaque-refresh-token': 'SlashID refresh token',
};

/**
 * A hover over a JWT, a `Bearer <jwt>` or an opaque SlashID token: decoded header and payload, times,
 * and, when its issuer is a connected org (or the emulator), the verification verdict. Never blocks
 * typing: only the hovered line is scanned, lines over 20,000 characters are skipped, tokens over 64 KB
 * ignored, and the verdict waits at most 1.5 s.
 */
export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    cancel: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (!vscode.workspace.getConfiguration('slashid', document).get<boolean>('hover.enabled', true)) return undefined;
    if (position.line >= document.lineCount) return undefined;
    const line = document.lineAt(position.line).text;
    if (line.length > DEFAULT_MAX_LINE_LENGTH) return undefined;
    const found = tokenAt(line, position.character);
    if (!found) return undefined;
    const title = found.bearer ? `Bearer ${TITLES[found.kind]}` : TITLES[found.kind];
    // The decoder, jose and the verifier load on the first token hovered, not at activation.
    const content = await (await import('./tokenHoverContent.js')).tokenHoverContent(this.services, found.value, title);
    if (cancel.isCancellationRequested) return undefined;
    const start = found.bearer?.start ?? found.start;
    return new vscode.Hover(content, new vscode.Range(position.line, start, position.line, found.end));
  }
}
