import { ApiError } from './http';

/*
 * What the emulator accepts from the outside, beyond listening on 127.0.0.1 only. A web page the
 * developer visits can still reach a loopback port: through DNS rebinding (its own host name resolving
 * to 127.0.0.1, so the browser sends `Host: attacker.example`) or with a cross-site "simple" request
 * (a `text/plain` POST). So every request must name the emulator itself in `Host`, must not come from
 * another site's page (`Origin`), and JSON routes take only `application/json` (which a cross-site
 * page cannot send without a CORS preflight, which the emulator never grants).
 */

/** The loopback names the emulator answers to; `Host` must be one of them with the port it listens on. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The request's `Host` when it names a loopback address and `port` (`127.0.0.1:P`, `localhost:P`,
 * `[::1]:P`, case-insensitive; the port may be left out only when it is 80). 421 otherwise, and 400
 * when there is no `Host` at all.
 *
 * A page a person's browser opens (`browserPage`: the sign-in page) is also answered at the addresses
 * in `browserHosts`: those an editor forwards the emulator at, which the emulator was told about
 * (code-server's port proxy `/proxy/P/` keeps the browser's `Host`, a remote window's port forward
 * changes the port). Only that page: the API, the token endpoint and the control routes stay on the
 * emulator's own address.
 */
export function checkHost(
  host: string | undefined,
  port: number,
  browserPage = false,
  browserHosts: ReadonlySet<string> = new Set(),
): string {
  if (host === undefined || host.length === 0) {
    throw new ApiError(400, 'The Host header is required.');
  }
  const lower = host.toLowerCase();
  const accepted =
    LOOPBACK_HOSTS.some((name) => lower === `${name}:${port}` || (port === 80 && lower === name)) ||
    (browserPage && browserHosts.has(lower));
  if (!accepted) {
    const forwarded = browserPage
      ? ' If your editor forwards the emulator to this browser at that address (code-server, a remote window), start the emulator with --browser-host <that host:port>.'
      : '';
    throw new ApiError(
      421,
      `The emulator answers only requests addressed to 127.0.0.1:${port}, localhost:${port} or [::1]:${port}; this one was addressed to ${JSON.stringify(host.slice(0, 100))}.${forwarded}`,
    );
  }
  return lower;
}

/**
 * A forwarded address for `Emulator.allowBrowserHost`, as a browser sends it in `Host`: `host:port`, or
 * `host` alone for the scheme's default port (a name, an IPv4 literal or a bracketed IPv6 literal),
 * lower-cased. Throws on anything else (a URL, a path, a port over 65535).
 */
export function parseBrowserHost(value: string): string {
  const lower = value.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(lower);
  if (!match || Number(match[2] ?? 0) > 65535) {
    throw new Error(`"${value.slice(0, 100)}" is not a host:port (e.g. 127.0.0.1:8080, the address code-server listens on).`);
  }
  return lower;
}

/**
 * Refuses a request sent by a page of another site: an `Origin` header, when present, must be exactly
 * the emulator's own origin as the request names it (`http://` + the accepted `Host`), so the sign-in
 * page may post to itself. Browser-free clients (ours, curl, openid-client) send no `Origin`. `null`
 * (a sandboxed frame, a `file:` page, a redirect across sites) is another site too.
 */
export function checkOrigin(origin: string | undefined, acceptedHost: string): void {
  if (origin === undefined) return;
  if (origin.toLowerCase() !== `http://${acceptedHost}`) {
    throw new ApiError(
      403,
      `The emulator refuses requests from web pages of other sites (Origin ${JSON.stringify(origin.slice(0, 100))}); call it from a program, not a browser page.`,
    );
  }
}

/**
 * A JSON route's body must be `application/json`: 415 when the request declares another type, or
 * sends a body without declaring one. A request with neither body nor Content-Type goes on (the route
 * then says which fields it needs).
 */
export function checkJsonContentType(contentType: string | undefined, hasBody: boolean): void {
  if (contentType === undefined) {
    if (hasBody) throw new ApiError(415, 'The request body must be JSON, sent with Content-Type: application/json.');
    return;
  }
  const type = contentType.split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(
      415,
      `The request body must be JSON, sent with Content-Type: application/json (not ${JSON.stringify(type.slice(0, 64))}).`,
    );
  }
}
