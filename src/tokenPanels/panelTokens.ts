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
  /**
   * For a refresh token: when the access token issued with it was issued and expires (epoch ms), so that
   * the panel can refresh before then (`slashid.tokenPanel.autoRefresh`).
   */
  readonly accessLifetime?: { readonly issuedAt: number; readonly expiresAt: number };
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

  /** Every token held, with its ID. */
  entries(): IterableIterator<[string, HeldToken]> {
    return this.tokens.entries();
  }

  clear(): void {
    this.tokens.clear();
  }
}

/**
 * When a panel refreshes a token set on its own: one minute before its access token expires, or a quarter
 * of the access token's lifetime before for tokens that live under four minutes (so that short-lived tokens
 * are not refreshed in a loop).
 */
export function autoRefreshDue(lifetime: { readonly issuedAt: number; readonly expiresAt: number }): number {
  const lead = Math.min(60_000, (lifetime.expiresAt - lifetime.issuedAt) / 4);
  return lifetime.expiresAt - lead;
}
