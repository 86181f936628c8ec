/**
 * The emulator's public types: what `startEmulator()` takes and returns. Everyone else (the API core's
 * tests, the extension's emulator host, benchmarks) codes against these; see /work/notes/brief.md.
 */
import { EMULATOR_CONTROL_KEY_HEADER } from '../src/slashid/contract';

/** Grant types a client may be created with (SlashID rejects every other value with 400). */
export type GrantType = 'client_credentials' | 'authorization_code';

/** Providers SlashID lists for `GET /sso/oidc/tokens`. */
export const SSO_PROVIDERS = ['google', 'github', 'bitbucket', 'gitlab', 'facebook', 'line', 'azuread', 'okta', 'apple'] as const;
export type SsoProvider = (typeof SSO_PROVIDERS)[number];

/** The spec's `PersonHandleType`: how a person signs in (email case-insensitive, the others exact). */
export const PERSON_HANDLE_TYPES = ['email_address', 'phone_number', 'username'] as const;
export type PersonHandleType = (typeof PERSON_HANDLE_TYPES)[number];

/** An OAuth2 client as the API returns it (never with its secret, except once on create). */
export interface OAuth2Client {
  client_id: string;
  client_name: string;
  grant_types: GrantType[];
  response_types: string[][];
  scopes: string[];
  public: boolean;
  access_token_duration: number;
  refresh_token_duration: number;
  redirect_uris: string[];
  created_at: string;
  /** Absent until the client first gets a token. */
  last_used?: string;
}

export type ApiKeyRole = 'admin' | 'member';

export interface SeedOrg {
  id: string;
  api_key: string;
  parent_id?: string;
  name?: string;
  /** Role of `api_key`; default 'admin'. Repeat an org's entry with another key to give it several keys. */
  role?: ApiKeyRole;
}

export interface SeedPerson {
  person_id: string;
  org_id: string;
  handles?: { type: PersonHandleType; value: string }[];
  /** Roles (matched by the SCIM filter `roles eq "…"` of `GET /persons`). */
  roles?: string[];
}

/**
 * A client to seed (e.g. 5,000 of them for a benchmark). Everything is optional: `org_id` defaults to
 * the first seeded org, `client_id` to a random UUID, `client_secret` to a random secret (stored hashed;
 * pass one to be able to use it), names/grants/scopes to a client-credentials client.
 */
export type SeedClient = Partial<Omit<OAuth2Client, 'response_types'>> & { org_id?: string; client_secret?: string };

export interface EmulatorSeed {
  orgs: SeedOrg[];
  persons: SeedPerson[];
  clients?: SeedClient[];
}

export interface EmulatorOptions {
  /** 0 (default) = a free port. Always binds 127.0.0.1. */
  port?: number;
  /** When absent and `demo !== false`: the demo org, its sub-org, clients and persons. */
  seed?: EmulatorSeed;
  /** JSON state file, written atomically after every change; loaded if present (then the seed only adds what is missing). */
  stateFile?: string;
  /** Load the demo data. Default: true when no seed is given. `true` together with a seed loads both. */
  demo?: boolean;
  /** Fixed admin API key of the demo org (else a random one each start; only its hash is stored). */
  demoApiKey?: string;
  /**
   * The test-only `/__emulator/` routes over HTTP. `'keyed'` (default): the demo org's credentials, the
   * faults and the request log need `controlKey` in the `SlashID-Emulator-Key` header (401 otherwise).
   * `'off'`: none of them, nor the SSO-login route, is served (404); the emulator inside VS Code runs so,
   * as nothing there needs them (its owner uses the `Emulator` object). The providers' public keys stay.
   */
  controlRoutes?: 'keyed' | 'off';
  /** With `controlRoutes: 'keyed'`: the control key (else a random one each start, in `Emulator.controlKey`). */
  controlKey?: string;
}

/** The header carrying the emulator's control key on the keyed `/__emulator/` routes (contract.ts). */
export const CONTROL_KEY_HEADER = EMULATOR_CONTROL_KEY_HEADER;

export interface EmulatorDemoInfo {
  orgId: string;
  apiKey: string;
  subOrgId: string;
  personIds: string[];
  clientIds: string[];
}

/** `'METHOD /path/with/:params'`, e.g. `'GET /oauth2/clients'`, `'PUT /oauth2/clients/:id/secret'`; `'*'` matches every API route. */
export type RouteKey = string;

export interface Fault {
  /** Wait this long before answering (or before applying the other parts of the fault). */
  delayMs?: number;
  /** Answer this status with an error body, without running the operation. */
  status?: number;
  /** Seconds, sent as `Retry-After` together with `status`. */
  retryAfter?: number;
  /** Destroy the socket without answering, without running the operation. */
  drop?: boolean;
  /**
   * Run the operation, then break its answer: `truncated` = the first half of the JSON body;
   * `not-json` = an HTML page; `schema` = valid JSON of the wrong shape; `field` = `field` of the
   * first item of `result` (or of the body) becomes a number, the rest of the answer intact.
   */
  malformed?: 'truncated' | 'not-json' | 'schema' | 'field';
  /** With `malformed: 'field'`: the field to break, e.g. `scopes`. */
  field?: string;
  /** Apply to the next N matching requests only (default: until cleared). */
  times?: number;
}

export interface FaultController {
  set(route: RouteKey, fault: Fault): void;
  clear(route?: RouteKey): void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, cut to 200 characters (ending with "…"). */
  path: string;
  /** The matched route key (requests to unknown routes are not recorded). */
  route: RouteKey;
  /** Status answered; 0 when no answer was written (dropped by a fault, or the client had already gone). */
  status: number;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export interface SsoLoginInput {
  org_id: string;
  person_id: string;
  provider: string;
  /**
   * Lifetime of the token container in seconds (default 86400, at most 86400 either way). Tests may pass
   * a negative value to get an expired one.
   */
  expires_in?: number;
}

export interface Emulator {
  /** http://127.0.0.1:PORT, no trailing slash. Also the issuer (`iss`) of every token it signs. */
  readonly url: string;
  readonly port: number;
  readonly demo?: EmulatorDemoInfo;
  /** The key the keyed `/__emulator/` routes need (`SlashID-Emulator-Key`); absent with `controlRoutes: 'off'`. */
  readonly controlKey?: string;
  faults: FaultController;
  /** The last 1,000 requests to the emulator's routes (never bodies or headers); unknown routes are not recorded. */
  requests: RecordedRequest[];
  /** How many records the emulator keeps now: authorization codes, tokens, SSO logins (for tests of its bounds). */
  stored(): { codes: number; tokens: number; ssoLogins: number };
  /**
   * Creates an SSO login and returns its token container (an RS256 JWT signed by the emulator's key, with
   * `typ: SSO_TOKEN_CONTAINER_TYP` in its protected header). Over HTTP: `POST /__emulator/sso-logins`
   * with the org's admin API key.
   */
  createSsoLogin(input: SsoLoginInput): Promise<string>;
  /**
   * Also answers the sign-in page (`GET /oauth2/authorize`, nothing else) at `host` (`host:port`, or a
   * bare host for the scheme's default port, as browsers send it in `Host`): the
   * address an editor forwards the emulator at for its browser, e.g. code-server's own address for its
   * `/proxy/<port>/` path, or a remote window's forwarded port. Throws on a value that is not host:port.
   */
  allowBrowserHost(host: string): void;
  /** Stops listening, drops open connections, waits for pending state-file writes. */
  close(): Promise<void>;
}
