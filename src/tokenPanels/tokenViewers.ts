import * as vscode from 'vscode';
import type { HostMessage, TokenView } from './protocol';

/** What is kept of an open token viewer (its controller, seen through the protocol's types only). */
export interface OpenTokenViewer {
  readonly views: TokenView[];
  readonly summary: string | undefined;
  /** Handles one message as if the webview sent it (the extension-host tests' seam). */
  dispatch(raw: unknown): Promise<HostMessage | undefined>;
}

/**
 * The token viewers open in this window, newest last, and an event when one opens: what the
 * extension-host tests observe of a command that opens a viewer (commands return nothing to callers).
 * Holds only the controllers of open panels; a closed panel is forgotten with its tokens.
 */
export class TokenViewers implements vscode.Disposable {
  private readonly open: OpenTokenViewer[] = [];
  private readonly shown = new vscode.EventEmitter<OpenTokenViewer>();
  readonly onDidShow = this.shown.event;

  /** The most recently opened viewer that is still open. */
  get last(): OpenTokenViewer | undefined {
    return this.open.at(-1);
  }

  add(viewer: OpenTokenViewer): vscode.Disposable {
    this.open.push(viewer);
    this.shown.fire(viewer);
    return {
      dispose: () => {
        const index = this.open.indexOf(viewer);
        if (index >= 0) this.open.splice(index, 1);
      },
    };
  }

  dispose(): void {
    this.open.length = 0;
    this.shown.dispose();
  }
}
