import type { Dispatcher, Pool as UndiciPool } from 'undici';
import { MAX_RESPONSE_BYTES } from './contract';

/**
 * undici's `Pool` with `request()`, loaded on first use: evaluating undici's modules takes milliseconds
 * that activation, which sends no request, should not spend.
 *
 * It is loaded from undici's internal modules, not by `import { Pool } from 'undici'`: the package's
 * index pulls in fetch, WebSocket, EventSource, caches, mocks and more (~520 KB in the extension
 * bundle), and undici 7 has no "exports" map, so these paths are importable and bundle to the pool, the
 * HTTP/1.1 client and `request()` only. The types still come from undici's public `index.d.ts`.
 * esbuild.js stubs the parts of undici that this configuration never reaches (see the comments there).
 *
 * undici's index adds its API methods (request, stream, pipeline…) to the shared `Dispatcher.prototype`;
 * the subclass here gets the one we use, and changes nothing shared.
 */
let loadedRequestPool: typeof UndiciPool | undefined;
function requestPoolClass(): typeof UndiciPool {
  if (loadedRequestPool === undefined) {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool;
    const request = require('undici/lib/api/api-request.js') as Dispatcher['request'];
    /* eslint-enable @typescript-eslint/no-require-imports */
    class RequestPool extends Pool {}
    RequestPool.prototype.request = request;
    loadedRequestPool = RequestPool;
  }
  return loadedRequestPool;
}

/**
 * One keep-alive undici `Pool` per origin, shared by every `SlashIdClient` talking to that origin (an
 * org, its sub-orgs and a candidate key check all reuse the same connections). `close()` ends them all;
 * the extension calls it on deactivation, tests in `after()`.
 */
export class PoolRegistry {
  private readonly pools = new Map<string, UndiciPool>();

  constructor(private readonly options: UndiciPool.Options = {}) {}

  /** The pool for `origin` (e.g. `https://api.slashid.com`), created on first use. */
  get(origin: string): UndiciPool {
    let pool = this.pools.get(origin);
    if (!pool || pool.closed || pool.destroyed) {
      const RequestPool = requestPoolClass();
      pool = new RequestPool(origin, {
        connections: 16,
        keepAliveTimeout: 4_000, // idle sockets are dropped before typical server/load-balancer idle limits; server hints win
        keepAliveMaxTimeout: 60_000,
        maxResponseSize: MAX_RESPONSE_BYTES,
        ...this.options,
        // HTTP/1.1 only (never offer h2 in ALPN): the extension bundle leaves undici's HTTP/2 client out (esbuild.js).
        allowH2: false,
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
