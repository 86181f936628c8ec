import * as vscode from 'vscode';
import type { Services } from '../services';
import { DEFAULT_MAX_LINE_LENGTH, tokenAt } from '../tokens/recognize';

export const INTROSPECT_COMMAND = 'slashid.tokens.introspect';

/**
 * Beside the token hover: over an opaque SlashID token, when a client secret is stored for a connected
 * organization, a link that introspects it ("SlashID: Introspect Token"). The link carries the document
 * and the position, never the token: the command reads the token there again.
 */
export class IntrospectionHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!vscode.workspace.getConfiguration('slashid', document).get<boolean>('hover.enabled', true)) return undefined;
    if (position.line >= document.lineCount) return undefined;
    const line = document.lineAt(position.line).text;
    if (line.length > DEFAULT_MAX_LINE_LENGTH || !line.includes('sid_')) return undefined;
    const found = tokenAt(line, position.character);
    if (!found || found.kind === 'jwt') return undefined;
    const secrets = this.services.connections.all().some((c) => this.services.vault.clientsWithSecret(c.id).size > 0);
    if (!secrets) return undefined;
    const args = encodeURIComponent(JSON.stringify([document.uri.toString(), position.line, position.character]));
    const markdown = new vscode.MarkdownString(
      `[$(search) Introspect this token](command:${INTROSPECT_COMMAND}?${args} "Ask SlashID whether it is active, with a stored client secret")`,
      true,
    );
    markdown.isTrusted = { enabledCommands: [INTROSPECT_COMMAND] };
    const start = found.bearer?.start ?? found.start;
    return new vscode.Hover(markdown, new vscode.Range(position.line, start, position.line, found.end));
  }
}
