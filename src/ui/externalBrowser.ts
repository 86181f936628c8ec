import * as vscode from 'vscode';
import { forwardedRedirectUri } from '../slashid/loopbackRedirect';

/**
 * Opens a URL in the user's browser: the authorization request of the code flow. Through
 * `vscode.env.asExternalUri`, so that it also works in remote windows and code-server. The
 * extension-host tests swap in one that plays the browser (it fetches the URL itself).
 */
export interface ExternalBrowser {
  /** Resolves false when the workbench could not open it. */
  open(url: string): Promise<boolean>;
  /** The loopback redirect URI as the browser reaches the listener (see `forwardedRedirectUri`). */
  redirectUri(local: string): Promise<string>;
}

export class WorkbenchBrowser implements ExternalBrowser {
  async open(url: string): Promise<boolean> {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url, true));
    return vscode.env.openExternal(external);
  }

  async redirectUri(local: string): Promise<string> {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(local, true));
    return forwardedRedirectUri(local, external.toString(true));
  }
}
