import type * as vscode from 'vscode';
import type { Services } from '../services';
import { EDITOR_REDIRECT_PATH } from '../ui/externalBrowser';
import type { PendingAuthorization } from './pendingAuthorization';

/**
 * VS Code's own redirect of the code flow (`<uriScheme>://<publisher>.<name>/callback`): a URI is handed
 * to the waiting sign-in only when it carries its state and issuer. Any web page (through the browser's
 * "open VS Code?" prompt) and any extension (`vscode.open`) can send this handler a URI: one that answers
 * no waiting sign-in is ignored, and neither it nor its query is logged.
 */
export class SignInUriHandler implements vscode.UriHandler {
  constructor(
    private readonly services: Services,
    private readonly pending: PendingAuthorization,
  ) {}

  handleUri(uri: vscode.Uri): void {
    if (uri.path !== EDITOR_REDIRECT_PATH || !this.pending.deliverUri(uri.query)) {
      this.services.log.info('flows', 'a URI for this extension that answers no waiting sign-in was ignored');
      return;
    }
    this.services.log.info('flows', "authorization-code flow: the answer came through VS Code's URI handler");
  }
}
