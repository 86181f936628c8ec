import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';

/**
 * The redirect end of the authorization-code flow for a native app (RFC 8252 §7.3): a one-shot HTTP
 * listener on the loopback IP literal `127.0.0.1` and an ephemeral port. It takes exactly one callback
 * on its path, answers the browser with a small page that says to go back to the editor (never showing
 * the code), and closes; it also closes on cancel and after a timeout. Any local process and any web
 * page can send it a request, so only the answer to this sign-in counts: a request whose `Host` is not
 * an address handed out for this listener (DNS rebinding) or whose `state` is not this request's
 * (compared in constant time) is answered 400 and the listener keeps waiting. No `vscode` import.
 */

export const LOOPBACK_HOST = '127.0.0.1';
/** The redirect URI offered to a client that has no loopback one (any port matches it, RFC 8252 §7.3). */
export const DEFAULT_LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/callback';

/** What the authorization server sent back to the redirect URI (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 `iss`). */
export interface AuthorizationCallback {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly errorDescription?: string;
  readonly iss?: string;
}

export class LoopbackTimeoutError extends Error {
  override readonly name = 'LoopbackTimeoutError';
  constructor(readonly seconds: number) {
    super(`no answer came to the loopback redirect URI within ${seconds} s`);
  }
}

export class LoopbackCancelledError extends Error {
  override readonly name = 'LoopbackCancelledError';
  constructor() {
    super('the authorization was cancelled');
  }
}

/**
 * True when `uri` is a loopback redirect URI on the IPv4 literal (`http://127.0.0.1[:port]/path`), which
 * an authorization server must accept on any port. `localhost` is not one (RFC 8252 §8.3).
 */
export function isLoopbackRedirectUri(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === 'http:' && url.hostname === LOOPBACK_HOST && !url.hash && !url.username && !url.password;
}

/** The redirect URI to send: the registered loopback URI with the listener's port. */
export function withPort(registered: string, port: number): string {
  const url = new URL(registered);
  url.port = String(port);
  return url.toString();
}

/**
 * The redirect URI to send when the editor forwards the listener's port to the browser's machine
 * (`asExternalUri` of `local`, in a remote window): the forwarded URI when it is still a loopback `http`
 * URI on the same path (`localhost` written as `127.0.0.1`, which is where the forward listens), since an
 * authorization server accepts a loopback redirect URI on any port; otherwise `local` (a forward through a
 * web proxy, e.g. code-server's `/proxy/<port>/`, is no loopback URI, and there the browser runs on the
 * listener's machine anyway).
 */
export function forwardedRedirectUri(local: string, external: string): string {
  const from = parse(local);
  const to = parse(external);
  if (!from || !to || to.protocol !== 'http:' || to.username || to.password || to.hash) return local;
  if (to.hostname !== LOOPBACK_HOST && to.hostname !== 'localhost') return local;
  if (to.pathname !== from.pathname || to.search !== from.search || !to.port) return local;
  to.hostname = LOOPBACK_HOST;
  return to.toString();
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SlashID sign-in</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:32rem;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style>
</head><body><h1>Sign-in finished</h1><p>You can close this tab and return to VS Code.</p></body></html>`;

const REFUSED = 'This is not the answer to the sign-in VS Code is waiting for.';

/**
 * Starts the listener. `path` is the registered redirect URI's path; only a `GET` there counts (anything
 * else is answered 404 and ignored). `state` is the authorization request's: only a callback carrying it
 * is taken (an error answer carries it too, RFC 6749 §4.1.2.1).
 */
export async function startLoopbackRedirect(path: string, state: string): Promise<LoopbackRedirect> {
  const listener = new LoopbackRedirect(path, state);
  await listener.listen();
  return listener;
}

export class LoopbackRedirect {
  private readonly server: Server;
  private received: AuthorizationCallback | undefined;
  private waiter: ((callback: AuthorizationCallback) => void) | undefined;
  private closed = false;
  private boundPort = 0;
  /** `Host` values the browser may send: `127.0.0.1:<port>`, and a forward's address once handed out. */
  private readonly hosts = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly state: string,
  ) {
    this.server = createServer((req, res) => this.onRequest(req, res));
  }

  /**
   * Also takes requests whose `Host` is the one of `redirectUri` (the address a remote window's port
   * forward gives the browser, see `forwardedRedirectUri`); only addresses this flow hands out.
   */
  allowHostOf(redirectUri: string): void {
    const url = parse(redirectUri);
    if (url) this.hosts.add(url.host.toLowerCase());
  }

  /** The port the listener is (or was) bound to, after `listen`. */
  get port(): number {
    return this.boundPort;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, LOOPBACK_HOST, () => {
        this.server.off('error', reject);
        this.boundPort = (this.server.address() as AddressInfo).port;
        this.hosts.add(`${LOOPBACK_HOST}:${this.boundPort}`);
        resolve();
      });
    });
  }

  /**
   * Waits for the one callback; rejects with LoopbackTimeoutError after `timeoutMs` and with
   * LoopbackCancelledError when `signal` aborts. The listener is closed in every case.
   */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<AuthorizationCallback> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<AuthorizationCallback>((resolve, reject) => {
        if (this.received) return resolve(this.received);
        if (signal?.aborted) return reject(new LoopbackCancelledError());
        this.waiter = resolve;
        timer = setTimeout(() => reject(new LoopbackTimeoutError(Math.round(timeoutMs / 1000))), timeoutMs);
        onAbort = () => reject(new LoopbackCancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      this.waiter = undefined;
      this.close();
    }
  }

  /** Stops listening and drops open connections. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    this.server.closeAllConnections();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = parse(`http://${LOOPBACK_HOST}${req.url ?? '/'}`);
    const headers = {
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      'X-Content-Type-Options': 'nosniff',
    };
    if (req.method !== 'GET' || !url || url.pathname !== this.path || this.received) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found.');
      return;
    }
    const callback = callbackOf(url.searchParams);
    if (!this.hosts.has((req.headers.host ?? '').toLowerCase()) || !sameSecret(callback.state, this.state)) {
      res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end(REFUSED);
      return;
    }
    this.received = callback;
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8', Connection: 'close' });
    res.end(PAGE, () => {
      this.waiter?.(this.received!);
      this.close();
    });
  }
}

/** The callback in a redirect's query parameters, as the listener reads it. */
export function callbackOf(query: URLSearchParams): AuthorizationCallback {
  const get = (name: string) => query.get(name) ?? undefined;
  return {
    code: get('code'),
    state: get('state'),
    error: get('error'),
    errorDescription: get('error_description'),
    iss: get('iss'),
  };
}

/** Compares two secrets (state values) in constant time. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
