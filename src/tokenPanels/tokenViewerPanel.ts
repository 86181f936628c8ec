import * as vscode from 'vscode';
import type { Services } from '../services';
import type { Reply, TokenView, WebviewRequest } from './protocol';
import { TokenPanelController } from './tokenPanelController';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import type { HeldToken } from './panelTokens';

export const TOKEN_VIEWER_VIEW_TYPE = 'slashid.tokenViewer';

export interface ViewerContent {
  readonly title: string;
  readonly summary?: string;
  /** Each view with the raw token it shows (held in memory for Reveal and Copy). */
  readonly tokens: readonly { readonly view: TokenView; readonly held: HeldToken }[];
}

/**
 * Decoded tokens in a panel, drawn by the minter's webview bundle in "viewer" mode: the same cards as
 * the minter's results (Decode Token, Retrieve OIDC Tokens). Tokens are held in memory only, so a
 * viewer is not restored after a reload (there is no serializer for it).
 */
export class TokenViewerController extends TokenPanelController {
  /** The cards as drawn now: token actions redraw some and add others (a refresh's new tokens). */
  private current: TokenView[];

  constructor(
    services: Services,
    post: (message: Parameters<TokenPanelController['send']>[0]) => Thenable<boolean>,
    private readonly content: ViewerContent,
  ) {
    super(services, post, 'token-viewer');
    for (const { view, held } of content.tokens) this.tokens.hold(view.tokenId, held);
    this.current = content.tokens.map((t) => t.view);
    this.heldTokensChanged();
  }

  get views(): TokenView[] {
    return [...this.current];
  }

  protected override viewOf(tokenId: string): TokenView | undefined {
    return this.current.find((v) => v.tokenId === tokenId);
  }

  protected override onViewsChanged(replaced: readonly TokenView[], added: readonly TokenView[], dropped: readonly string[]): void {
    const byId = new Map(replaced.map((v) => [v.tokenId, v]));
    const gone = new Set(dropped);
    this.current = [...this.current.filter((v) => !gone.has(v.tokenId)).map((v) => byId.get(v.tokenId) ?? v), ...added].slice(-100);
  }

  /** The sentence above the cards: where the tokens came from. */
  get summary(): string | undefined {
    return this.content.summary;
  }

  protected async onReady(): Promise<void> {
    await this.send({ type: 'init', mode: 'viewer', orgs: [] });
    await this.send({
      type: 'showTokens',
      title: this.content.title,
      ...(this.content.summary !== undefined ? { summary: this.content.summary } : {}),
      tokens: this.views,
    });
  }

  protected handle(request: Exclude<WebviewRequest, { type: 'reveal' | 'tokenAction' }>): Promise<Reply> {
    return Promise.resolve({
      kind: 'failed',
      message: `This panel shows tokens only; it cannot ${request.type === 'mint' ? 'mint' : 'do that'}.`,
    });
  }
}

export function showTokenViewer(services: Services, content: ViewerContent): TokenViewerController {
  const extensionUri = services.context.extensionUri;
  const panel = vscode.window.createWebviewPanel(
    TOKEN_VIEWER_VIEW_TYPE,
    content.title,
    vscode.ViewColumn.Active,
    webviewOptions(extensionUri),
  );
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'slashid.svg');
  const controller = new TokenViewerController(services, (message) => panel.webview.postMessage(message), content);
  const subscription = panel.webview.onDidReceiveMessage((raw: unknown) => void controller.dispatch(raw));
  const registration = services.tokenViewers.add(controller);
  panel.onDidDispose(() => {
    subscription.dispose();
    registration.dispose();
    controller.dispose();
  });
  panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, 'viewer', content.title);
  return controller;
}
