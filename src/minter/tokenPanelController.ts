import * as vscode from 'vscode';
import type { Services } from '../services';
import { parseWebviewMessage, type HostMessage, type Reply, type WebviewMessage, type WebviewRequest } from './protocol';
import { PanelTokens } from './panelTokens';

/** Sends a message to the webview (`webview.postMessage`, or a test's recorder). */
export type PostMessage = (message: HostMessage) => Thenable<boolean> | Promise<boolean>;

/**
 * The host side of a token panel: validates every message from the webview (a malformed one is dropped
 * and logged, never acted on), answers requests with exactly one reply, and serves `reveal` and `copy`
 * from the tokens held in memory. Subclasses add their own requests and what `ready` sends.
 *
 * `dispatch` is also the test seam: extension-host tests post message objects through the same
 * validation path as the webview and get the reply back.
 */
export abstract class TokenPanelController {
  readonly tokens = new PanelTokens();
  private disposed = false;

  constructor(
    protected readonly services: Services,
    private readonly post: PostMessage,
    private readonly component: string,
  ) {}

  /** Handles one raw message from the webview. Resolves with the reply sent, if the message was a request. */
  async dispatch(raw: unknown): Promise<HostMessage | undefined> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.services.log.warn(this.component, `dropped a malformed message from the webview: ${parsed.reason}`);
      return undefined;
    }
    const message = parsed.value;
    switch (message.type) {
      case 'ready':
        await this.onReady();
        return undefined;
      case 'log':
        this.services.log[message.level === 'error' ? 'error' : message.level === 'warn' ? 'warn' : 'info'](`${this.component}:webview`, message.message);
        return undefined;
      case 'copy':
        await this.copy(message.tokenId, message.what);
        return undefined;
      default:
        return this.answer(message);
    }
  }

  /** Sends a message unless the panel is gone. */
  async send(message: HostMessage): Promise<void> {
    if (this.disposed) return;
    try {
      await this.post(message);
    } catch (err) {
      this.services.log.warn(this.component, `could not post ${message.type} to the webview: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.tokens.clear();
  }

  protected abstract onReady(): Promise<void>;

  /** Answers the requests this panel understands (besides `reveal`). */
  protected abstract handle(request: Exclude<WebviewRequest, { type: 'reveal' }>): Promise<Reply>;

  private async answer(request: WebviewRequest): Promise<HostMessage> {
    let reply: Reply;
    try {
      reply = request.type === 'reveal' ? this.reveal(request.tokenId) : await this.handle(request);
    } catch (err) {
      // Handlers turn expected failures into replies; this is the last line of defence.
      this.services.log.error(this.component, `${request.type} failed: ${err instanceof Error ? err.message : String(err)}`);
      reply = { kind: 'failed', message: `Something went wrong (${request.type}); see the SlashID log.` };
    }
    const message: HostMessage = { type: 'reply', requestId: request.requestId, reply };
    await this.send(message);
    return message;
  }

  private reveal(tokenId: string): Reply {
    const held = this.tokens.get(tokenId);
    if (!held) return { kind: 'failed', message: 'That token is no longer held (the results were replaced or the panel was reloaded).' };
    return { kind: 'revealed', tokenId, token: held.raw };
  }

  private async copy(tokenId: string, what: Extract<WebviewMessage, { type: 'copy' }>['what']): Promise<void> {
    const held = this.tokens.get(tokenId);
    if (!held) {
      void vscode.window.showWarningMessage('That token is no longer held: mint or decode it again to copy it.');
      return;
    }
    if (what === 'payload' && held.payloadJson === undefined) {
      void vscode.window.showWarningMessage(`The ${held.title.toLowerCase()} has no decoded payload to copy.`);
      return;
    }
    await vscode.env.clipboard.writeText(what === 'token' ? held.raw : held.payloadJson!);
    vscode.window.setStatusBarMessage(`$(check) Copied the ${held.title.toLowerCase()}${what === 'payload' ? ' payload' : ''}`, 4_000);
  }
}
