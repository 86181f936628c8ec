import * as vscode from 'vscode';
import { mayHoldToken } from '../tokens/mayHoldToken';

/** Token-like strings kept per terminal, at most (the most recent; a repeated one moves to the end). */
const MAX_PER_TERMINAL = 20;
/** Longer runs of token characters are no token (the decoder refuses tokens over 64 KB): they are dropped. */
const MAX_RUN_LENGTH = 64 * 1024;
/** A JWT (`eyJ`, base64url of `{"`) or an opaque SlashID token (`sid_`), as a whole run of token characters. */
const CANDIDATE = /(?<![A-Za-z0-9_.-])(?:eyJ|sid_)[A-Za-z0-9_.-]{13,}/g;
const TOKEN_CHAR = /[A-Za-z0-9_.-]/;

/**
 * The tokens printed in each terminal of this window, for "SlashID: Decode Token from Terminal" (a
 * keyboard way to what the terminal's token links open: VS Code's "Open Detected Link" quick pick lists
 * only its own link kinds, not extensions' links). Read through the stable shell-integration API: the
 * command line and the output of each command (`execution.read()`) from its start.
 *
 * Kept small and cheap, from activation on: only runs of token characters that start like a token
 * (`eyJ`, `sid_`) are kept, never other output; at most 20 per terminal, in this extension host's
 * memory only (never logged, stored or sent), dropped when the terminal closes. A chunk without `eyJ` or
 * `sid_` costs two `indexOf` scans (and the few token characters at its end, kept in case a token is
 * split across chunks). Recognising which candidates are tokens is left to the features.
 */
export class TerminalTokenHistory implements vscode.Disposable {
  private readonly seen = new Map<vscode.Terminal, string[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidStartTerminalShellExecution(({ terminal, execution }) => {
        // `read()` must be called at once, or the first output is lost.
        const output = execution.read();
        this.scan(terminal, execution.commandLine.value);
        void this.follow(terminal, output);
      }),
      vscode.window.onDidCloseTerminal((terminal) => this.seen.delete(terminal)),
    );
  }

  /** The token-like strings seen in `terminal`, oldest first (candidates: they may not decode). */
  candidates(terminal: vscode.Terminal): readonly string[] {
    return this.seen.get(terminal) ?? [];
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subscriptions) s.dispose();
    this.seen.clear();
  }

  private async follow(terminal: vscode.Terminal, output: AsyncIterable<string>): Promise<void> {
    let carry = '';
    try {
      for await (const chunk of output) {
        if (this.disposed) return;
        const text = carry + chunk;
        // The run of token characters at the end may continue in the next chunk: keep it for then.
        let cut = text.length;
        while (cut > 0 && TOKEN_CHAR.test(text.charAt(cut - 1))) cut--;
        carry = text.length - cut > MAX_RUN_LENGTH ? '' : text.slice(cut);
        this.scan(terminal, text.slice(0, cut));
      }
      this.scan(terminal, carry);
    } catch {
      // The terminal went away while its output was read: nothing to keep.
    }
  }

  private scan(terminal: vscode.Terminal, text: string): void {
    // A terminal that closed while its output was read is not kept again.
    if (!mayHoldToken(text) || terminal.exitStatus !== undefined) return;
    for (const match of text.matchAll(CANDIDATE)) {
      const candidate = match[0];
      if (candidate.length > MAX_RUN_LENGTH) continue;
      const list = this.seen.get(terminal) ?? [];
      const at = list.indexOf(candidate);
      if (at >= 0) list.splice(at, 1);
      list.push(candidate);
      if (list.length > MAX_PER_TERMINAL) list.shift();
      this.seen.set(terminal, list);
    }
  }
}
