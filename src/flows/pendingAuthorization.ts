import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { AuthorizationCallback } from '../slashid/loopbackRedirect';
import { escapeIcons } from '../slashid/untrustedText';
import { checkAnswer, checkPastedAddress, type AnswerCheck, type ExpectedAnswer } from '../slashid/authorizationAnswer';

/** What the status bar item offers while a sign-in waits (the quick pick of "SlashID: Show Waiting Sign-In"). */
export const PASTE_ACTION = 'Paste Address from Browser…';
export const CANCEL_ACTION = 'Cancel Sign-In';

interface Waiting {
  readonly controller: AbortController;
  readonly clientName: string;
  readonly expected: ExpectedAnswer;
  /** Resolves `delivered` with the first answer; false when one came already. */
  readonly deliver: (callback: AuthorizationCallback) => boolean;
}

/**
 * The authorization-code flow waiting for the browser, at most one at a time: its cancel switch, the
 * answers that come another way than the loopback listener (an address the user pastes, a URI VS Code's
 * URI handler received: checked against this request's state and issuer, the first answer wins), and a
 * status bar item that offers both, since a progress notification can be hidden (Do Not Disturb) or
 * dismissed.
 */
export class PendingAuthorization extends Disposable {
  private waiting: Waiting | undefined;
  private statusItem: vscode.StatusBarItem | undefined;

  /** Created on the first sign-in, not at activation. */
  private get item(): vscode.StatusBarItem {
    if (!this.statusItem) {
      this.statusItem = this._register(
        vscode.window.createStatusBarItem('slashid.pendingAuthorization', vscode.StatusBarAlignment.Left, 50),
      );
      this.statusItem.name = 'SlashID sign-in';
      this.statusItem.command = 'slashid.flows.showPendingSignIn';
    }
    return this.statusItem;
  }

  /** The status bar text shown now ('' when no sign-in is pending). */
  get text(): string {
    return this.waiting ? (this.statusItem?.text ?? '') : '';
  }

  get isWaiting(): boolean {
    return this.waiting !== undefined;
  }

  /** The client name of the waiting sign-in (shown inert), if any. */
  get clientName(): string | undefined {
    return this.waiting?.clientName;
  }

  /**
   * Runs `task` as the pending sign-in (a previous one is cancelled); `signal` aborts on cancel, and
   * `delivered` resolves with the first answer that came through `deliverPasted` or `deliverUri`. The client
   * name (server text) is shown with its `$(icon)` syntax escaped, whatever the caller passed.
   */
  async run<T>(
    clientName: string,
    expected: ExpectedAnswer,
    task: (signal: AbortSignal, delivered: Promise<AuthorizationCallback>) => Promise<T>,
  ): Promise<T> {
    this.cancel();
    const controller = new AbortController();
    let resolve: (callback: AuthorizationCallback) => void = () => undefined;
    const delivered = new Promise<AuthorizationCallback>((r) => (resolve = r));
    let answered = false;
    const deliver = (callback: AuthorizationCallback) => {
      if (answered) return false;
      answered = true;
      resolve(callback);
      return true;
    };
    const waiting: Waiting = { controller, clientName, expected, deliver };
    this.waiting = waiting;
    this.item.text = `$(loading~spin) Signing in to ${escapeIcons(clientName)}…`;
    this.item.tooltip = 'Waiting for the browser to come back to VS Code. Click to paste the address the browser ended on, or to cancel.';
    this.item.show();
    void vscode.commands.executeCommand('setContext', 'slashid.signInPending', true);
    try {
      return await task(controller.signal, delivered);
    } finally {
      if (this.waiting === waiting) {
        this.waiting = undefined;
        this.item.hide();
        void vscode.commands.executeCommand('setContext', 'slashid.signInPending', false);
      }
    }
  }

  /** Checks a pasted address against the waiting sign-in; a problem sentence, or undefined when it is its answer. */
  checkPasted(address: string): string | undefined {
    if (!this.waiting) return 'No sign-in is waiting any more, so there is nothing to finish; close this box.';
    const check = checkPastedAddress(address, this.waiting.expected);
    return check.ok ? undefined : check.problem;
  }

  /** Hands a pasted address to the waiting sign-in when it is its answer; false otherwise. */
  deliverPasted(address: string): boolean {
    return this.deliverChecked((expected) => checkPastedAddress(address, expected));
  }

  /** Hands the query of a URI the editor's URI handler received to the waiting sign-in when it is its answer; false otherwise. */
  deliverUri(query: string): boolean {
    return this.deliverChecked((expected) => checkAnswer(new URLSearchParams(query), expected));
  }

  /** Cancels the pending sign-in, if any. */
  cancel(): boolean {
    const controller = this.waiting?.controller;
    controller?.abort();
    return controller !== undefined;
  }

  private deliverChecked(check: (expected: ExpectedAnswer) => AnswerCheck): boolean {
    const waiting = this.waiting;
    if (!waiting || waiting.controller.signal.aborted) return false;
    const result = check(waiting.expected);
    return result.ok && waiting.deliver(result.callback);
  }
}
