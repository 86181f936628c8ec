import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

import { READ_ONLY_SCHEME } from '../shell/contributions';

/**
 * Read-only, titled documents for API results (client details, token responses). Content lives in
 * memory only: it is never written to disk, and closing the editor forgets it.
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

  /** Opens (or updates) a read-only document titled `title`, e.g. "billing-service.json". */
  async show(title: string, content: string, language = 'json'): Promise<vscode.TextEditor> {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${title.replace(/[\\/:*?"<>|]/g, '_')}` });
    this.contents.set(uri.toString(), content);
    this._onDidChange.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, language);
    return vscode.window.showTextDocument(doc, { preview: true });
  }
}
