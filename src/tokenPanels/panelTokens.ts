import type { OrgTarget } from '../orgs/orgTarget';

/**
 * Where a token held by a panel came from, when the host knows its client (the code flow, a refresh):
 * what the token actions (refresh, revoke, userinfo, introspect) need. Names only, never a secret: the
 * client secret is read from SecretStorage when an action runs.
 */
export interface TokenOrigin {
  readonly target: OrgTarget;
  readonly clientId: string;
  readonly clientName: string;
  readonly publicClient: boolean;
  readonly kind: 'access' | 'id' | 'refresh';
  /** The scopes granted with it. */
  readonly scopes: readonly string[];
}

/**
 * The raw tokens a panel shows, kept in this extension host's memory only, under the `tokenId` the
 * webview knows them by. Never written to disk, settings, globalState or webview state; forgotten when
 * the panel closes or shows new results.
 */
export interface HeldToken {
  readonly raw: string;
  /** What "Copy payload" copies: the decoded payload or the introspection, as formatted JSON. */
  readonly payloadJson?: string;
  readonly title: string;
  readonly origin?: TokenOrigin;
}

export class PanelTokens {
  private readonly tokens = new Map<string, HeldToken>();
  private generation = 0;

  /** Starts a new set of results (the previous tokens are forgotten) and returns its id prefix. */
  startResults(): string {
    this.tokens.clear();
    this.generation++;
    return `r${this.generation}`;
  }

  hold(tokenId: string, token: HeldToken): void {
    this.tokens.set(tokenId, token);
  }

  get(tokenId: string): HeldToken | undefined {
    return this.tokens.get(tokenId);
  }

  clear(): void {
    this.tokens.clear();
  }
}
