import * as vscode from 'vscode';
import type { Services } from '../services';
import {
  parseHostMessage,
  parseWebviewMessage,
  type HostMessage,
  type Reply,
  type TokenAction,
  type TokenView,
  type WebviewMessage,
  type WebviewRequest,
} from './protocol';
import { AUTO_REFRESH_MAX_PER_PANEL, autoRefreshDue, nextAutoRefresh, PanelTokens, TOKEN_SETS_KEPT, type HeldToken } from './panelTokens';
import { runTokenAction } from './tokenActions';

const AUTO_REFRESH_SETTING = 'slashid.tokenPanel.autoRefresh';

function autoRefreshEnabled(): boolean {
  return vscode.workspace.getConfiguration('slashid').get<boolean>('tokenPanel.autoRefresh', false);
}

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
  private actionCount = 0;
  /** Refresh tokens already used or revoked (here or by the automatic refresh): never refreshed on their own again. */
  private readonly spent = new Set<string>();
  private autoRefreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** When this panel last refreshed (automatically or not), and how many times it did so on its own. */
  private lastRefreshAt: number | undefined;
  private autoRefreshes = 0;
  /** Whether the panel said that it stopped refreshing on its own (once). */
  private toldCapped = false;
  private readonly settingListener: vscode.Disposable;

  constructor(
    protected readonly services: Services,
    private readonly post: PostMessage,
    private readonly component: string,
  ) {
    this.settingListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(AUTO_REFRESH_SETTING)) this.heldTokensChanged();
    });
  }

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
        this.services.log[message.level === 'error' ? 'error' : message.level === 'warn' ? 'warn' : 'info'](
          `${this.component}:webview`,
          message.message,
        );
        return undefined;
      case 'copy':
        await this.copy(message.tokenId, message.what);
        return undefined;
      default:
        return this.answer(message);
    }
  }

  /**
   * Validates and sends a message (unless the panel is gone); returns what was sent. A message that does
   * not pass the protocol's own validation would be dropped by the webview, which would then wait
   * forever: a reply is replaced by a `failed` one, anything else is logged and not sent.
   */
  async send(message: HostMessage): Promise<HostMessage | undefined> {
    const check = parseHostMessage(message);
    let sent: HostMessage | undefined = message;
    if (!check.ok) {
      this.services.log.error(this.component, `a ${message.type} message did not pass the protocol's validation: ${check.reason}`);
      sent =
        message.type === 'reply'
          ? {
              type: 'reply',
              requestId: message.requestId,
              reply: { kind: 'failed', message: 'The extension produced an answer it could not send; see the SlashID log.' },
            }
          : undefined;
    }
    if (this.disposed || !sent) return sent;
    try {
      await this.post(sent);
    } catch (err) {
      this.services.log.warn(
        this.component,
        `could not post ${sent.type} to the webview: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return sent;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.autoRefreshTimer);
    this.settingListener.dispose();
    this.tokens.clear();
  }

  /**
   * Call after holding new tokens: with `slashid.tokenPanel.autoRefresh` on, arms one timer for the held
   * refresh token whose access token expires first (see `autoRefreshDue`).
   */
  protected heldTokensChanged(): void {
    clearTimeout(this.autoRefreshTimer);
    this.autoRefreshTimer = undefined;
    if (this.disposed || !autoRefreshEnabled()) return;
    let next: { tokenId: string; due: number } | undefined;
    for (const [tokenId, held] of this.tokens.entries()) {
      if (held.origin?.kind !== 'refresh' || !held.accessLifetime || this.spent.has(tokenId)) continue;
      const due = autoRefreshDue(held.accessLifetime);
      if (!next || due < next.due) next = { tokenId, due };
    }
    if (!next) return;
    const { tokenId } = next;
    const now = Date.now();
    const at = nextAutoRefresh({ due: next.due, now, lastRefreshAt: this.lastRefreshAt, autoRefreshes: this.autoRefreshes });
    if (at === 'capped') {
      if (!this.toldCapped) {
        this.toldCapped = true;
        const message = `This panel stopped refreshing on its own after ${AUTO_REFRESH_MAX_PER_PANEL} automatic refreshes, so these tokens will expire unless you press Refresh.`;
        this.services.log.info(this.component, `automatic refresh stopped after ${AUTO_REFRESH_MAX_PER_PANEL} refreshes in this panel`);
        void this.send({ type: 'autoRefreshed', tokenId, reply: { kind: 'failed', message } });
      }
      return;
    }
    this.autoRefreshTimer = setTimeout(() => void this.autoRefresh(tokenId), at - now);
  }

  /** How this panel's automatic refresh stands (for the tests): refreshes done, tokens held and dropped. */
  get autoRefreshState(): { autoRefreshes: number; held: number; dropped: number; armed: boolean } {
    return {
      autoRefreshes: this.autoRefreshes,
      held: this.tokens.size,
      dropped: this.tokens.dropped,
      armed: this.autoRefreshTimer !== undefined,
    };
  }

  /** Refreshes as the card's Refresh button does, and tells the webview (`autoRefreshed`). */
  private async autoRefresh(tokenId: string): Promise<void> {
    this.autoRefreshTimer = undefined;
    const held = this.tokens.get(tokenId);
    if (this.disposed || !autoRefreshEnabled() || !held || this.spent.has(tokenId)) {
      this.heldTokensChanged();
      return;
    }
    let reply: Reply;
    this.autoRefreshes++;
    try {
      reply = await this.runAction(tokenId, held, 'refresh');
    } catch (err) {
      this.services.log.error(this.component, `automatic refresh failed: ${err instanceof Error ? err.message : String(err)}`);
      reply = { kind: 'failed', message: 'Refreshing these tokens before they expired failed; see the SlashID log.' };
    }
    this.services.log.info(
      this.component,
      reply.kind === 'tokenActionDone'
        ? `refreshed the tokens of client ${held.origin?.clientId ?? '?'} before the access token expired`
        : `the automatic refresh of client ${held.origin?.clientId ?? '?'} failed`,
    );
    await this.send({ type: 'autoRefreshed', tokenId, reply });
    this.heldTokensChanged();
  }

  protected abstract onReady(): Promise<void>;

  /** Answers the requests this panel understands (besides `reveal` and `tokenAction`). */
  protected abstract handle(request: Exclude<WebviewRequest, { type: 'reveal' | 'tokenAction' }>): Promise<Reply>;

  /** The view a token is shown with now (for a token action to redraw it); none by default. */
  protected viewOf(_tokenId: string): TokenView | undefined {
    return undefined;
  }

  /** A token action redrew some cards and added others; panels that keep their views update them. */
  protected onViewsChanged(_replaced: readonly TokenView[], _added: readonly TokenView[], _dropped: readonly string[]): void {}

  /** Refresh, revoke, userinfo or introspect a held token (see tokenActions.ts). */
  private async tokenAction(request: Extract<WebviewRequest, { type: 'tokenAction' }>): Promise<Reply> {
    const held = this.tokens.get(request.tokenId);
    if (!held) return { kind: 'failed', message: 'That token is no longer held (the results were replaced or the panel was reloaded).' };
    const reply = await this.runAction(request.tokenId, held, request.action);
    this.heldTokensChanged();
    return reply;
  }

  private async runAction(tokenId: string, held: HeldToken, action: TokenAction): Promise<Reply> {
    // A refresh token once used (SlashID rotates it) or revoked is never refreshed on its own again.
    if (action === 'refresh' || action === 'revoke') this.spent.add(tokenId);
    if (action === 'refresh') this.lastRefreshAt = Date.now();
    const outcome = await runTokenAction(this.services, tokenId, held, this.viewOf(tokenId), action, `a${++this.actionCount}`);
    for (const { tokenId: id, held: next } of outcome.hold) this.tokens.hold(id, next);
    let reply = outcome.reply;
    if (reply.kind === 'tokenActionDone' && action === 'refresh' && reply.added.length > 0) {
      // Only the newest sets are kept, in memory and in the panel; the panel says how many were dropped.
      const dropped = this.tokens.refreshed(reply.added.map((v) => v.tokenId));
      for (const id of dropped) this.spent.delete(id);
      if (dropped.length > 0) {
        reply = {
          ...reply,
          dropped: {
            tokenIds: dropped,
            note: `${this.tokens.dropped} older token${this.tokens.dropped === 1 ? ' was' : 's were'} dropped from this panel, which keeps the latest ${TOKEN_SETS_KEPT} sets.`,
          },
        };
      }
    }
    if (reply.kind === 'tokenActionDone') this.onViewsChanged(reply.replaced, reply.added, reply.dropped?.tokenIds ?? []);
    return reply;
  }

  private async answer(request: WebviewRequest): Promise<HostMessage | undefined> {
    let reply: Reply;
    try {
      reply =
        request.type === 'reveal'
          ? this.reveal(request.tokenId)
          : request.type === 'tokenAction'
            ? await this.tokenAction(request)
            : await this.handle(request);
    } catch (err) {
      // Handlers turn expected failures into replies; this is the last line of defence.
      this.services.log.error(this.component, `${request.type} failed: ${err instanceof Error ? err.message : String(err)}`);
      reply = { kind: 'failed', message: `Something went wrong (${request.type}); see the SlashID log.` };
    }
    const message: HostMessage = { type: 'reply', requestId: request.requestId, reply };
    return this.send(message);
  }

  private reveal(tokenId: string): Reply {
    const held = this.tokens.get(tokenId);
    if (!held) return { kind: 'failed', message: 'That token is no longer held (the results were replaced or the panel was reloaded).' };
    return { kind: 'revealed', tokenId, token: held.raw };
  }

  private async copy(tokenId: string, what: Extract<WebviewMessage, { type: 'copy' }>['what']): Promise<void> {
    const held = this.tokens.get(tokenId);
    if (!held) {
      void this.services.ui.warn('That token is no longer held: mint or decode it again to copy it.');
      return;
    }
    if (what === 'payload' && held.payloadJson === undefined) {
      void this.services.ui.warn(`The ${held.title.toLowerCase()} has no decoded payload to copy.`);
      return;
    }
    await vscode.env.clipboard.writeText(what === 'token' ? held.raw : held.payloadJson!);
    vscode.window.setStatusBarMessage(`$(check) Copied the ${held.title.toLowerCase()}${what === 'payload' ? ' payload' : ''}`, 4_000);
  }
}
