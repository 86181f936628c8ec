import * as vscode from 'vscode';

/**
 * The extension's one log: a `LogOutputChannel` named "SlashID" with component tags.
 * Callers never pass secrets; `redactSecrets` is a last line of defence for text that
 * came from elsewhere (an API error message, a URL) and may quote a token.
 */
export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor(name = 'SlashID') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(component: string, message: string): void {
    this.channel.trace(`[${component}] ${redactSecrets(message)}`);
  }
  info(component: string, message: string): void {
    this.channel.info(`[${component}] ${redactSecrets(message)}`);
  }
  warn(component: string, message: string): void {
    this.channel.warn(`[${component}] ${redactSecrets(message)}`);
  }
  error(component: string, message: string): void {
    this.channel.error(`[${component}] ${redactSecrets(message)}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

const JWT_RE = /\beyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;
const OPAQUE_RE = /\bsid_(?:at|rt)_[\w-]{8,}/g;

/** Replaces anything shaped like a JWT or an opaque SlashID token with a marker. */
export function redactSecrets(text: string): string {
  return text.replace(JWT_RE, '<jwt redacted>').replace(OPAQUE_RE, '<token redacted>');
}
