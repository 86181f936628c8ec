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
  /**
   * VS Code's own redirect URI for this extension (`<uriScheme>://<publisher>.<name>/callback`, answered by
   * its URI handler) when the editor routes it as it is (a desktop window, local or remote); undefined where
   * it cannot: a browser-based editor (code-server, vscode.dev, Codespaces in the browser) turns it into an
   * address of its own with a per-request `vscode-reqid`, which no client can register.
   */
  editorRedirectUri(): Promise<string | undefined>;
}

/** The path of VS Code's own redirect URI for the code flow (see `ExternalBrowser.editorRedirectUri`). */
export const EDITOR_REDIRECT_PATH = '/callback';

export class WorkbenchBrowser implements ExternalBrowser {
  /** `extensionId`: `<publisher>.<name>`, the authority VS Code routes to this extension's URI handler. */
  constructor(private readonly extensionId: string) {}

  async open(url: string): Promise<boolean> {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url, true));
    return vscode.env.openExternal(external);
  }

  async redirectUri(local: string): Promise<string> {
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(local, true));
    return forwardedRedirectUri(local, external.toString(true));
  }

  async editorRedirectUri(): Promise<string | undefined> {
    const own = `${vscode.env.uriScheme}://${this.extensionId.toLowerCase()}${EDITOR_REDIRECT_PATH}`;
    try {
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(own, true));
      return external.toString(true) === own ? own : undefined;
    } catch {
      return undefined;
    }
  }
}
