/**
 * Client-credentials access tokens kept in memory (never on disk) for "Copy Access Token": a token is
 * handed out again while it has more than a minute left, otherwise a new one is requested. Keyed by
 * connection, org and client; forgotten when the client's secret changes.
 */

/** A cached token is reused only while it has more than this left. */
export const MIN_REMAINING_MS = 60_000;

interface CachedToken {
  readonly token: string;
  readonly expiresAt: number;
}

export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  static key(connectionId: string, orgId: string, clientId: string): string {
    return `${connectionId}#${orgId}#${clientId}`;
  }

  /** The cached token, when it has more than a minute left. */
  get(key: string): CachedToken | undefined {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - this.now() > MIN_REMAINING_MS) return cached;
    this.tokens.delete(key);
    return undefined;
  }

  put(key: string, token: string, expiresInSeconds: number): CachedToken {
    const cached = { token, expiresAt: this.now() + expiresInSeconds * 1000 };
    this.tokens.set(key, cached);
    return cached;
  }

  /** Forgets the tokens of a connection (every client), or of one client. */
  forget(connectionId: string, clientId?: string): void {
    for (const key of [...this.tokens.keys()]) {
      const [conn, , client] = key.split('#');
      if (conn === connectionId && (clientId === undefined || client === clientId)) this.tokens.delete(key);
    }
  }

  clear(): void {
    this.tokens.clear();
  }
}
