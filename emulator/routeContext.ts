import type { IncomingMessage } from 'node:http';
import type { FaultRegistry } from './faults';
import type { Reply } from './http';
import type { SsoLogins } from './ssoLogins';
import type { EmulatorState } from './state';
import type { RequestLog } from './requestLog';
import type { EmulatorDemoInfo } from './types';

/** What every route handler gets. */
export interface RouteContext {
  readonly req: IncomingMessage;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly state: EmulatorState;
  /** The emulator's base URL, the `iss` of its tokens. */
  readonly issuer: string;
  readonly faults: FaultRegistry;
  readonly requests: RequestLog;
  readonly ssoLogins: SsoLogins;
  readonly demo: EmulatorDemoInfo | undefined;
  /** The request body (read once, at most 1 MiB). */
  body(): Promise<Buffer>;
  /** A header's value (first one when repeated); undefined when absent. */
  header(name: string): string | undefined;
}

export type RouteHandler = (ctx: RouteContext) => Reply | Promise<Reply>;

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path pattern with `:name` segments, e.g. `/oauth2/clients/:id`. */
  pattern: string;
  handler: RouteHandler;
  /** Test-only `/__emulator/*` route: never faulted. */
  control?: boolean;
  /**
   * A test-only route that hands out or changes what no local account may (the demo org's key, faults,
   * the request log): it needs the emulator's control key (`SlashID-Emulator-Key`; 401 otherwise), and
   * is not served at all (404) by an emulator started with `controlRoutes: 'off'`.
   */
  keyed?: boolean;
  /** A test-only route that an emulator started with `controlRoutes: 'off'` does not serve (404). */
  testOnly?: boolean;
  /**
   * A page a person's browser opens (the sign-in page): it also answers through the addresses an editor
   * forwards the emulator at (`Emulator.allowBrowserHost`), which no other route does.
   */
  browser?: boolean;
  /** The route reads a JSON body: a request with a body (or a Content-Type) must send `application/json` (else 415). */
  json?: boolean;
  /** How an injected `status` fault answers on this route (default: the error envelope with that status). */
  faultReply?: (ctx: RouteContext, status: number) => Reply;
}
