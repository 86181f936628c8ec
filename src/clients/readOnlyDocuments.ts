import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { redactSecrets, scrubSecrets } from '../slashid/redaction';

import { READ_ONLY_SCHEME } from '../shell/contributions';

/**
 * Read-only, titled documents for API results (client details, token responses). Content lives in
 * memory only: it is never written to disk, and closing the editor forgets it. No request is ever made
 * for one: a URI this extension did not fill (another extension can build any) reads as a one-line note.
 * Every open document's text is readable by any extension (`workspace.textDocuments`), so no raw secret
 * goes in: callers mask tokens, and `show` scrubs the secrets they name and anything shaped like a token.
 */
export class ReadOnlyDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this._onDidChange.event;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === READ_ONLY_SCHEME) {
          this.contents.delete(doc.uri.toString());
        }
      }),
    );
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '// This view was closed; run the command again.';
  }

  /**
   * Opens (or updates) a read-only document titled `title`, e.g. "billing-service.json"; `secrets` (a client secret,
   * a token) are replaced wherever a server echoed them, and so is anything shaped like a JWT or a SlashID token.
   */
  async show(title: string, content: string, language = 'json', secrets: readonly string[] = []): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${title.replace(/[\\/:*?"<>|]/g, '_')}` });
    this.contents.set(uri.toString(), scrubSecrets(redactSecrets(content), secrets, '<secret redacted>'));
    this._onDidChange.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true });
  }
}
