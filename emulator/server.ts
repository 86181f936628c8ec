import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { FaultRegistry, malformBody } from './faults';
import { ApiError, OAuthError, readBody, type Reply } from './http';
import { checkHost, checkJsonContentType, checkOrigin, parseBrowserHost } from './requestGuard';
import type { RequestLog } from './requestLog';
import type { RouteContext, RouteDefinition } from './routeContext';
import { clientRoutes } from './routes/clients';
import { controlRoutes } from './routes/control';
import { mintRoutes } from './routes/mint';
import { authorizeRoutes } from './routes/authorize';
import { oauthTokenRoutes } from './routes/oauthTokens';
import { organizationRoutes } from './routes/organizations';
import { personRoutes } from './routes/persons';
import { ssoRoutes } from './routes/sso';
import { userinfoRoutes } from './routes/userinfo';
import { wellKnownRoutes } from './routes/wellKnown';
import type { SsoLogins } from './ssoLogins';
import type { EmulatorState } from './state';
import { CONTROL_KEY_HEADER, type EmulatorDemoInfo, type Fault, type RouteKey } from './types';

interface CompiledRoute {
  definition: RouteDefinition;
  key: RouteKey;
  segments: string[];
}

const ALL_ROUTES: RouteDefinition[] = [
  ...clientRoutes,
  ...authorizeRoutes,
  ...oauthTokenRoutes,
  ...userinfoRoutes,
  ...mintRoutes,
  ...ssoRoutes,
  ...personRoutes,
  ...organizationRoutes,
  ...wellKnownRoutes,
  ...controlRoutes,
];

/** Every route key the emulator answers, e.g. for documentation or to check a fault's route. */
export const ROUTE_KEYS: readonly RouteKey[] = ALL_ROUTES.map((r) => `${r.method} ${r.pattern}`);

type Match = { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } | undefined;

/** Routes by method and path pattern (`:name` segments capture one URL-decoded segment). */
class Router {
  private readonly routes: CompiledRoute[];

  /** Without `testRoutes`, the keyed and test-only `/__emulator/` routes are not served (404). */
  constructor(testRoutes: boolean) {
    this.routes = ALL_ROUTES.filter((d) => testRoutes || !(d.keyed || d.testOnly)).map((definition) => ({
      definition,
      key: `${definition.method} ${definition.pattern}`,
      segments: definition.pattern.split('/').slice(1),
    }));
  }

  match(method: string, pathname: string): Match {
    const segments = pathname.split('/').slice(1);
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.definition.method === method) return { route, params };
      allowed.push(route.definition.method);
    }
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const a = actual[i];
    if (p.startsWith(':')) {
      if (a.length === 0) return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}

export interface EmulatorServerDeps {
  state: EmulatorState;
  faults: FaultRegistry;
  requests: RequestLog;
  ssoLogins: SsoLogins;
  demo: EmulatorDemoInfo | undefined;
  /** The key the keyed `/__emulator/` routes need; undefined = those routes (and the test-only ones) are not served. */
  controlKey: string | undefined;
}

/**
 * The HTTP side: the Host/Origin/Content-Type checks (requestGuard.ts), routing, fault injection,
 * request recording, writing replies.
 */
export class EmulatorServer {
  private readonly router: Router;
  private readonly server: Server;
  private baseUrl = '';
  private port = 0;
  private readonly browserHosts = new Set<string>();

  constructor(private readonly deps: EmulatorServerDeps) {
    this.router = new Router(deps.controlKey !== undefined);
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      void this.handle(req, res);
    });
  }

  get url(): string {
    return this.baseUrl;
  }

  /** Listens on 127.0.0.1 (port 0 = a free one); resolves with the base URL. */
  listen(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address() as AddressInfo;
        this.port = address.port;
        this.baseUrl = `http://127.0.0.1:${address.port}`;
        resolve(this.baseUrl);
      });
    });
  }

  /** See `Emulator.allowBrowserHost`. */
  allowBrowserHost(host: string): void {
    this.browserHosts.add(parseBrowserHost(host));
  }

  /** Stops listening and drops every open connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', this.baseUrl);
    } catch {
      url = new URL('/', this.baseUrl);
    }
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const match = this.router.match(method, pathname);
    const route = match && 'route' in match ? match : undefined;
    const routeKey = route ? route.route.key : `${method} ${pathname}`;
    // Unknown routes are not recorded (the log is for what the emulator serves).
    const record = route
      ? (status: number) => this.deps.requests.add({ method, path: pathname, route: routeKey, status, at })
      : () => undefined;

    try {
      const host = checkHost(headerOf(req, 'host'), this.port, route?.route.definition.browser === true, this.browserHosts);
      checkOrigin(headerOf(req, 'origin'), host);
      if (route?.route.definition.json) {
        const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
        checkJsonContentType(headerOf(req, 'content-type'), hasBody);
      }
      if (route?.route.definition.keyed) checkControlKey(headerOf(req, CONTROL_KEY_HEADER.toLowerCase()), this.deps.controlKey);
    } catch (err) {
      req.resume();
      this.send(res, (err as ApiError).toReply(), undefined, record);
      return;
    }

    const fault: Fault | undefined = route && !route.route.definition.control ? this.deps.faults.take(routeKey) : undefined;
    if (fault?.delayMs) {
      await sleep(fault.delayMs);
    }
    if (fault?.drop) {
      record(0);
      req.socket.destroy();
      return;
    }
    if (fault?.status !== undefined && route?.route.definition.faultReply) {
      this.send(res, route.route.definition.faultReply(this.context(req, url, route.params), fault.status), undefined, record);
      return;
    }
    if (fault?.status !== undefined) {
      const reply = new ApiError(fault.status, `Injected fault: ${fault.status} for ${routeKey}.`).toReply();
      if (fault.retryAfter !== undefined) reply.headers = { ...reply.headers, 'Retry-After': String(fault.retryAfter) };
      this.send(res, reply, undefined, record);
      return;
    }

    let reply: Reply;
    try {
      if (route) {
        reply = await route.route.definition.handler(this.context(req, url, route.params));
      } else if (match && 'allowed' in match) {
        reply = new ApiError(405, `${method} is not allowed on ${pathname}.`, { Allow: match.allowed.join(', ') }).toReply();
      } else {
        reply = new ApiError(404, `No such endpoint: ${method} ${pathname}.`).toReply();
      }
    } catch (err) {
      if (err instanceof ApiError || err instanceof OAuthError) {
        reply = err.toReply();
      } else {
        reply = new ApiError(500, `Internal emulator error: ${err instanceof Error ? err.message : String(err)}`).toReply();
      }
    }
    this.send(res, reply, fault, record);
  }

  private context(req: IncomingMessage, url: URL, params: Record<string, string>): RouteContext {
    let body: Promise<Buffer> | undefined;
    return {
      req,
      url,
      params,
      state: this.deps.state,
      issuer: this.baseUrl,
      faults: this.deps.faults,
      requests: this.deps.requests,
      ssoLogins: this.deps.ssoLogins,
      demo: this.deps.demo,
      body: () => (body ??= readBody(req)),
      header: (name) => headerOf(req, name),
    };
  }

  private send(res: ServerResponse, reply: Reply, fault: Fault | undefined, record: (status: number) => void): void {
    const malformed = fault?.malformed;
    if (res.destroyed) {
      record(0);
      return;
    }
    let status = reply.status;
    let text: string | undefined;
    let contentType = 'application/json; charset=utf-8';
    if (malformed) {
      const broken = malformBody(malformed, reply.body, fault?.field);
      text = broken.text;
      contentType = broken.contentType;
      if (status === 204) status = 200;
    } else if (reply.text !== undefined) {
      text = reply.text.content;
      contentType = reply.text.contentType;
    } else if (reply.body !== undefined) {
      text = JSON.stringify(reply.body);
    }
    const headers: Record<string, string | number> = { ...reply.headers };
    if (text !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = Buffer.byteLength(text);
    }
    record(status);
    res.writeHead(status, headers);
    res.end(text);
  }
}

/** A header's value (the first one when repeated); undefined when absent. */
function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** 401 unless `given` is the emulator's control key (compared in constant time). */
function checkControlKey(given: string | undefined, key: string | undefined): void {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(key ?? '', 'utf8');
  if (key === undefined || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new ApiError(
      401,
      `This test-only route needs the emulator's control key in the ${CONTROL_KEY_HEADER} header (npm run emulator prints it).`,
    );
  }
}
