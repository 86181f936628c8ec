import * as vscode from 'vscode';

/**
 * The debug sessions of this window and whether each adapter evaluates in the `clipboard` context.
 * VS Code's API lists neither the sessions nor their adapters' capabilities, so both are recorded as
 * sessions start (each adapter's `initialize` response is read by a tracker that looks at that one
 * message). It lives in the activation shell: a session that starts before the features bundle loads
 * (the first "Decode Token" on a paused program loads it) is still known. It imports only `vscode`.
 */
export class DebugSessionTracker implements vscode.Disposable {
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly clipboardContext = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((session) => this.sessions.set(session.id, session)),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.sessions.delete(session.id);
        this.clipboardContext.delete(session.id);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => {
          let seen = false;
          return {
            onDidSendMessage: (message: unknown) => {
              if (seen) return;
              const m = message as { type?: unknown; command?: unknown; body?: { supportsClipboardContext?: unknown } };
              if (m.type === 'response' && m.command === 'initialize') {
                seen = true;
                this.clipboardContext.set(session.id, m.body?.supportsClipboardContext === true);
              }
            },
          };
        },
      }),
    );
    if (vscode.debug.activeDebugSession) this.sessions.set(vscode.debug.activeDebugSession.id, vscode.debug.activeDebugSession);
  }

  /** A session of this window by ID (one that started before activation is known once it is the active one). */
  sessionById(id: string): vscode.DebugSession | undefined {
    return this.sessions.get(id);
  }

  /** Whether the session's adapter said it evaluates in the `clipboard` context; undefined when its start was not seen. */
  supportsClipboardContext(sessionId: string): boolean | undefined {
    return this.clipboardContext.get(sessionId);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
    this.clipboardContext.clear();
  }
}
