import * as vscode from 'vscode';
import type { Services } from '../services';
import { Disposable } from '../common/lifecycle';
import type { OrgTarget } from '../orgs/orgTarget';
import { MintController } from './mintController';
import { renderWebviewHtml, webviewOptions } from '../tokenPanels/webviewHtml';

import { MINTER_VIEW_TYPE } from '../tokenPanels/viewType';

export { MINTER_VIEW_TYPE };

/**
 * The "Token Minter" panel: one at a time; opening it again reveals it (and selects the client it was
 * opened for). The form's inputs live in the webview's own state (`setState`), so a window reload
 * restores them through the serializer; tokens are never part of that state.
 */
export class MinterPanel extends Disposable {
  private static current: MinterPanel | undefined;

  readonly controller: MintController;

  private constructor(
    services: Services,
    readonly panel: vscode.WebviewPanel,
    preselect?: { target: OrgTarget; clientId?: string },
  ) {
    super();
    const extensionUri = services.context.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'slashid.svg');
    this.controller = new MintController(services, (message) => panel.webview.postMessage(message), preselect);
    this._register(panel.webview.onDidReceiveMessage((raw: unknown) => void this.controller.dispatch(raw)));
    this._register(services.connections.onDidChange(() => void this.controller.refreshOrgs()));
    this._register(panel.onDidDispose(() => this.dispose()));
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'minter', 'SlashID Token Minter');
  }

  /** Opens (or reveals) the minter, selecting an org and client when given. */
  static show(services: Services, preselect?: { target: OrgTarget; clientId?: string }): MinterPanel {
    const existing = MinterPanel.current;
    if (existing) {
      existing.panel.reveal();
      if (preselect) void existing.controller.select(preselect.target, preselect.clientId);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(MINTER_VIEW_TYPE, 'SlashID Token Minter', vscode.ViewColumn.Active, {
      ...webviewOptions(services.context.extensionUri),
    });
    return MinterPanel.adopt(services, panel, preselect);
  }

  /** Takes over a panel VS Code restored after a reload (its form state comes back with the webview). */
  static revive(services: Services, panel: vscode.WebviewPanel): MinterPanel {
    MinterPanel.current?.panel.dispose();
    return MinterPanel.adopt(services, panel);
  }

  static get open(): MinterPanel | undefined {
    return MinterPanel.current;
  }

  private static adopt(services: Services, panel: vscode.WebviewPanel, preselect?: { target: OrgTarget; clientId?: string }): MinterPanel {
    const minter = new MinterPanel(services, panel, preselect);
    MinterPanel.current = minter;
    services.context.subscriptions.push(minter);
    return minter;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    if (MinterPanel.current === this) MinterPanel.current = undefined;
    this.controller.dispose();
    super.dispose();
    this.panel.dispose();
  }
}
