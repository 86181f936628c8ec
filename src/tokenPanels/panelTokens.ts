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

/** How many token sets a panel keeps after refreshes (the one shown first counts): older ones are dropped. */
export const TOKEN_SETS_KEPT = 3;

export class PanelTokens {
  private readonly tokens = new Map<string, HeldToken>();
  private generation = 0;
  /** The token IDs of each set since the results were shown, oldest first (empty until the first refresh). */
  private readonly sets: string[][] = [];
  private droppedCount = 0;

  /** Starts a new set of results (the previous tokens are forgotten) and returns its id prefix. */
  startResults(): string {
    this.tokens.clear();
    this.sets.length = 0;
    this.droppedCount = 0;
    this.generation++;
    return `r${this.generation}`;
  }

  /**
   * A refresh added the tokens `added` (already held): keeps the newest {@link TOKEN_SETS_KEPT} sets of
   * tokens (the results first shown are the first set) and forgets the older ones. Returns the IDs forgotten.
   */
  refreshed(added: readonly string[]): string[] {
    const addedSet = new Set(added);
    if (this.sets.length === 0) this.sets.push([...this.tokens.keys()].filter((id) => !addedSet.has(id)));
    this.sets.push([...added]);
    const dropped: string[] = [];
    while (this.sets.length > TOKEN_SETS_KEPT) dropped.push(...(this.sets.shift() ?? []));
    for (const id of dropped) this.tokens.delete(id);
    this.droppedCount += dropped.length;
    return dropped;
  }

  /** How many tokens `refreshed` forgot since the results were shown. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** How many tokens are held (the newest sets only). */
  get size(): number {
    return this.tokens.size;
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

/** An automatic refresh never runs sooner than this after the panel's previous refresh (automatic or not). */
export const AUTO_REFRESH_FLOOR_MS = 30_000;
/** How many times a panel refreshes on its own before it stops and says so (the Refresh button still works). */
export const AUTO_REFRESH_MAX_PER_PANEL = 20;
/** The automatic refresh never fires sooner than this after it is armed. */
export const MIN_AUTO_REFRESH_DELAY_MS = 1_000;

/**
 * When a panel next refreshes on its own (epoch ms), or `'capped'` once it did {@link AUTO_REFRESH_MAX_PER_PANEL}
 * times: when the token set is due (`autoRefreshDue`), but never sooner than {@link AUTO_REFRESH_FLOOR_MS} after
 * the previous refresh, so a token that lives a few seconds is refreshed once every 30 seconds at most.
 */
export function nextAutoRefresh(input: {
  readonly due: number;
  readonly now: number;
  readonly lastRefreshAt: number | undefined;
  readonly autoRefreshes: number;
}): number | 'capped' {
  if (input.autoRefreshes >= AUTO_REFRESH_MAX_PER_PANEL) return 'capped';
  const floor = input.lastRefreshAt === undefined ? input.now : input.lastRefreshAt + AUTO_REFRESH_FLOOR_MS;
  return Math.max(input.due, floor, input.now + MIN_AUTO_REFRESH_DELAY_MS);
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
