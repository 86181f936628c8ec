import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { formatDuration } from '../tokens/times';

/**
 * A status bar item with the remaining lifetime of the last access token "Copy Access Token" copied,
 * shown while it is valid (updated every few seconds, every second in its last two minutes).
 */
export class AccessTokenStatus extends Disposable {
  private statusItem: vscode.StatusBarItem | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expiresAt = 0;
  private clientName = '';

  constructor(private readonly now: () => number = Date.now) {
    super();
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  /** Created on the first copied token, not at activation. */
  private get item(): vscode.StatusBarItem {
    if (!this.statusItem) {
      this.statusItem = this._register(
        vscode.window.createStatusBarItem('slashid.copiedAccessToken', vscode.StatusBarAlignment.Right, 100),
      );
      this.statusItem.name = 'SlashID copied access token';
    }
    return this.statusItem;
  }

  /** The text shown now ('' when hidden). */
  get text(): string {
    return this.expiresAt > this.now() ? (this.statusItem?.text ?? '') : '';
  }

  show(clientName: string, expiresAt: number): void {
    this.clientName = clientName;
    this.expiresAt = expiresAt;
    this.update();
  }

  private update(): void {
    clearTimeout(this.timer);
    const left = this.expiresAt - this.now();
    if (left <= 0) {
      this.statusItem?.hide();
      return;
    }
    this.item.text = `$(key) ${formatDuration(Math.ceil(left / 1000))}`;
    this.item.tooltip = `The access token last copied for "${this.clientName}" expires in ${formatDuration(Math.ceil(left / 1000))} (${new Date(this.expiresAt).toISOString()}).`;
    this.item.accessibilityInformation = {
      label: `SlashID access token of ${this.clientName}: ${formatDuration(Math.ceil(left / 1000))} left`,
    };
    this.item.show();
    this.timer = setTimeout(() => this.update(), left < 120_000 ? 1_000 : 5_000);
  }
}
