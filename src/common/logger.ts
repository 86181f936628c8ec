import * as vscode from 'vscode';
import { redactSecrets } from '../slashid/redaction';

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
