import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { escapeIcons } from '../slashid/untrustedText';

/**
 * The authorization-code flow waiting for the browser, at most one at a time: its cancel switch, and a
 * status bar item that cancels it ("SlashID: Cancel Sign-In"), since a progress notification can be
 * hidden (Do Not Disturb) or dismissed.
 */
export class PendingAuthorization extends Disposable {
  private controller: AbortController | undefined;
  private statusItem: vscode.StatusBarItem | undefined;

  /** Created on the first sign-in, not at activation. */
  private get item(): vscode.StatusBarItem {
    if (!this.statusItem) {
      this.statusItem = this._register(
        vscode.window.createStatusBarItem('slashid.pendingAuthorization', vscode.StatusBarAlignment.Left, 50),
      );
      this.statusItem.name = 'SlashID sign-in';
      this.statusItem.command = 'slashid.flows.cancelSignIn';
    }
    return this.statusItem;
  }

  /** The status bar text shown now ('' when no sign-in is pending). */
  get text(): string {
    return this.controller ? (this.statusItem?.text ?? '') : '';
  }

  get isWaiting(): boolean {
    return this.controller !== undefined;
  }

  /**
   * Runs `task` as the pending sign-in (a previous one is cancelled); `signal` aborts on cancel. The client
   * name (server text) is shown with its `$(icon)` syntax escaped, whatever the caller passed.
   */
  async run<T>(clientName: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    this.cancel();
    const controller = new AbortController();
    this.controller = controller;
    this.item.text = `$(loading~spin) Signing in to ${escapeIcons(clientName)}…`;
    this.item.tooltip = 'Waiting for the browser to come back to VS Code. Click to cancel.';
    this.item.show();
    void vscode.commands.executeCommand('setContext', 'slashid.signInPending', true);
    try {
      return await task(controller.signal);
    } finally {
      if (this.controller === controller) {
        this.controller = undefined;
        this.item.hide();
        void vscode.commands.executeCommand('setContext', 'slashid.signInPending', false);
      }
    }
  }

  /** Cancels the pending sign-in, if any. */
  cancel(): boolean {
    const controller = this.controller;
    controller?.abort();
    return controller !== undefined;
  }
}
