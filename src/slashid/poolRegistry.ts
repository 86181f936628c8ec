import { Pool } from 'undici';
import { MAX_RESPONSE_BYTES } from './contract';

/**
 * One keep-alive undici `Pool` per origin, shared by every `SlashIdClient` talking to that origin (an
 * org, its sub-orgs and a candidate key check all reuse the same connections). `close()` ends them all;
 * the extension calls it on deactivation, tests in `after()`.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: Pool.Options = {}) {}

  /** The pool for `origin` (e.g. `https://api.slashid.com`), created on first use. */
  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool || pool.closed || pool.destroyed) {
      pool = new Pool(origin, {
        connections: 16,
        keepAliveTimeout: 4_000, // idle sockets are dropped before typical server/load-balancer idle limits; server hints win
        keepAliveMaxTimeout: 60_000,
        maxResponseSize: MAX_RESPONSE_BYTES,
        ...this.options,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Number of origins with an open pool. */
  get size(): number {
    return this.pools.size;
  }

  /** Closes the pool of one origin (waits for its running requests), if any. */
  async closeOrigin(origin: string): Promise<void> {
    const pool = this.pools.get(origin);
    this.pools.delete(origin);
    if (pool && !pool.closed) {
      await pool.close();
    }
  }

  /** Closes every pool (a later `get()` opens a new one). Idempotent. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => (p.closed || p.destroyed ? Promise.resolve() : p.close())));
  }

  /** `dispose()` for VS Code's `context.subscriptions` (closing is fire-and-forget there). */
  dispose(): void {
    void this.close();
  }
}

/** The registry every client uses unless it is given another one. */
export const sharedPools = new PoolRegistry();
