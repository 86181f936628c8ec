import { DEFAULT_TIMEOUT_MS } from './contract';
import { inertText } from './untrustedText';

/**
 * Typed errors of the API core, one class per cause, and `describeError`, the one place that turns any
 * of them into a sentence for the user: what failed, why, what to do next.
 *
 * No error message ever contains a secret: messages are built from the fields below only (status, the
 * API's messages with every secret of the request scrubbed by the client, field names, error codes,
 * the origin of the base URL), never from headers or bodies.
 *
 * Over 400 lines on purpose: the error classes and `describeError` need each other (every error's
 * message is `describeError(this)`), so splitting them would make an import cycle; the file reads as
 * the classes, then one sentence builder per class.
 */

/** The operations of `SlashIdClient`, used to say what failed. */
export type Operation =
  | 'listClients'
  | 'getClient'
  | 'createClient'
  | 'updateClient'
  | 'deleteClient'
  | 'rotateClientSecret'
  | 'getClientCredentialsToken'
  | 'introspectToken'
  | 'mintTokens'
  | 'getOidcTokens'
  | 'listPersons'
  | 'listSubOrganizations'
  | 'getJwks'
  | 'getDiscovery'
  | 'authorize'
  | 'exchangeAuthorizationCode'
  | 'refreshTokens'
  | 'revokeToken'
  | 'revokeAllTokens'
  | 'getUserinfo'
  | 'getUiConfiguration'
  | 'updateUiConfiguration'
  | 'querySsoTokens'
  | 'revokeSsoTokens'
  | 'searchPersons';

/** Where a failure happened: the operation and, for client operations, the client ID. */
export interface OperationContext {
  readonly operation: Operation;
  /** Client ID for the per-client operations (not a secret). */
  readonly clientId?: string;
  /** The client's name (`client_name`), when the caller knows it: the sentence names the client by it instead of its ID. */
  readonly clientName?: string;
  /** The org sent in `SlashID-OrgID`. */
  readonly orgId?: string;
  /** Origin (and path prefix) of the base URL, e.g. `https://api.slashid.com`. */
  readonly baseUrl?: string;
  /** Attempts made (more than 1 when a read was retried). */
  readonly attempts?: number;
}

/** Base class of every API-core error; `userMessage` is `describeError(this)`. */
export abstract class SlashIdError extends Error {
  /** Set by the client when the error is raised by one of its operations. */
  context: OperationContext | undefined;

  protected constructor(name: string, context: OperationContext | undefined, options?: { cause?: unknown }) {
    super('', options);
    this.name = name;
    this.context = context;
  }

  /** One sentence for the user (same as `describeError(this)`). */
  get userMessage(): string {
    return describeError(this);
  }

  /** Sets `message` once every field of the subclass is assigned. */
  protected seal(): void {
    this.message = describeError(this);
  }

  /** Attaches (or replaces) the operation context and rebuilds the message. */
  withContext(context: OperationContext): this {
    this.context = context;
    this.seal();
    return this;
  }
}

/** The API answered an error status (4xx/5xx) with, usually, the error envelope. */
export class SlashIdApiError extends SlashIdError {
  constructor(
    readonly status: number,
    /** The API's `errors[].message`, secrets scrubbed. */
    readonly messages: readonly string[],
    context?: OperationContext,
    /** When the server sent `Retry-After`: the instant it asked us to wait for. */
    readonly retryAt?: Date,
    /** The `error` of a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3), e.g. `insufficient_scope`. */
    readonly bearerError?: string,
  ) {
    super('SlashIdApiError', context);
    this.seal();
  }
}

/** The server could not be reached, or dropped the connection before answering. */
export class NetworkError extends SlashIdError {
  constructor(
    /** e.g. `ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`, `UND_ERR_SOCKET`. */
    readonly code: string,
    context?: OperationContext,
    cause?: unknown,
  ) {
    super('NetworkError', context, { cause });
    this.seal();
  }
}

/** No complete answer within the timeout. */
export class TimeoutError extends SlashIdError {
  constructor(
    readonly timeoutMs: number,
    context?: OperationContext,
    cause?: unknown,
  ) {
    super('TimeoutError', context, { cause });
    this.seal();
  }
}

/** The answer was JSON but not of the expected shape. */
export class SchemaError extends SlashIdError {
  constructor(
    /** The zod issue path, e.g. `result[3].grant_types[0]` (`(root)` for the whole body). */
    readonly field: string,
    /** What was expected there, e.g. `expected string, received number`. */
    readonly expectation: string,
    /** Number of problems found (only the first is named). */
    readonly issueCount = 1,
    context?: OperationContext,
  ) {
    super('SchemaError', context);
    this.seal();
  }
}

/** The answer was not JSON at all, or was cut off. */
export class MalformedResponseError extends SlashIdError {
  constructor(
    readonly status: number,
    /** `empty`: no body; `truncated`: JSON that ends too early; `not-json`: anything else. */
    readonly kind: 'empty' | 'truncated' | 'not-json',
    /** The response's content type, if any. */
    readonly contentType: string | undefined,
    context?: OperationContext,
  ) {
    super('MalformedResponseError', context);
    this.seal();
  }
}

export interface FieldProblem {
  /** Path of the field, e.g. `scopes[1]`, `redirect_uris`. */
  readonly field: string;
  readonly message: string;
}

/** A request body that would be rejected; caught before anything was sent. */
export class RequestValidationError extends SlashIdError {
  constructor(
    readonly problems: readonly FieldProblem[],
    context?: OperationContext,
  ) {
    super('RequestValidationError', context);
    this.seal();
  }
}

/** An OAuth endpoint (`/oauth2/tokens`, `…/introspect`, `…/revoke`, `…/revoke-all`) answered an RFC 6749 error (`{error, error_description}`). */
export class OAuthError extends SlashIdError {
  constructor(
    readonly status: number,
    /** e.g. `invalid_client`, `invalid_scope`, `invalid_request`. */
    readonly error: string,
    /** Secrets scrubbed. */
    readonly errorDescription: string | undefined,
    context?: OperationContext,
  ) {
    super('OAuthError', context);
    this.seal();
  }
}

/** No API key is stored for an organization (raised by the key getter the extension passes in). */
export class MissingApiKeyError extends SlashIdError {
  constructor(
    /** The organization's display name or ID. */
    readonly orgName: string,
    context?: OperationContext,
  ) {
    super('MissingApiKeyError', context);
    this.seal();
  }
}

/** Failures that happen before a request leaves this machine: the server cannot have acted on it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a write may have reached SlashID although no answer came back (a timeout, a connection
 * dropped after sending): the change may have happened, and the user must be told so.
 */
export function isLostAnswer(err: unknown): boolean {
  return err instanceof TimeoutError || (err instanceof NetworkError && !NOT_SENT_CODES.has(err.code));
}

// ---------------------------------------------------------------------------------------------------
// describeError

const OPERATION_LABELS: Record<Operation, (clientId?: string) => string> = {
  listClients: () => 'Listing clients',
  getClient: (id) => `Getting client ${id ?? ''}`.trimEnd(),
  createClient: () => 'Creating the client',
  updateClient: (id) => `Updating client ${id ?? ''}`.trimEnd(),
  deleteClient: (id) => `Deleting client ${id ?? ''}`.trimEnd(),
  rotateClientSecret: (id) => (id ? `Rotating the secret of client ${id}` : 'Rotating the client secret'),
  getClientCredentialsToken: (id) =>
    id ? `Requesting a client-credentials token for client ${id}` : 'Requesting a client-credentials token',
  introspectToken: () => 'Introspecting the token',
  mintTokens: () => 'Minting tokens',
  getOidcTokens: () => 'Fetching the OIDC tokens of the SSO login',
  listPersons: () => 'Listing persons',
  listSubOrganizations: () => 'Listing sub-organizations',
  getJwks: () => 'Fetching the signing keys (JWKS)',
  getDiscovery: () => 'Fetching the OpenID configuration',
  authorize: () => 'Building the authorization URL',
  exchangeAuthorizationCode: (id) => (id ? `Exchanging the authorization code of client ${id}` : 'Exchanging the authorization code'),
  refreshTokens: (id) => (id ? `Refreshing the tokens of client ${id}` : 'Refreshing the tokens'),
  revokeToken: () => 'Revoking the token',
  revokeAllTokens: () => "Revoking the person's tokens",
  getUserinfo: () => 'Fetching the userinfo of the access token',
  getUiConfiguration: (id) => `Getting the hosted-UI configuration of client ${id ?? ''}`.trimEnd(),
  updateUiConfiguration: (id) => `Updating the hosted-UI configuration of client ${id ?? ''}`.trimEnd(),
  querySsoTokens: () => "Querying the person's SSO tokens",
  revokeSsoTokens: () => 'Revoking the SSO tokens of the login',
  searchPersons: () => 'Searching persons',
};

const WRITES: ReadonlySet<Operation> = new Set([
  'createClient',
  'updateClient',
  'deleteClient',
  'rotateClientSecret',
  'updateUiConfiguration',
]);
const PER_CLIENT: ReadonlySet<Operation> = new Set([
  'getClient',
  'updateClient',
  'deleteClient',
  'rotateClientSecret',
  'getUiConfiguration',
  'updateUiConfiguration',
]);

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused: nothing is listening there',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the connection was closed before an answer arrived',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the connection attempt timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection attempt timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed while sending',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate cannot be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host name',
  UND_ERR_RES_EXCEEDED_MAX_SIZE: 'the answer was too large',
};

function what(ctx: OperationContext | undefined, fallback = 'The SlashID request'): string {
  const label = ctx ? (OPERATION_LABELS as Partial<Record<string, (clientId?: string) => string>>)[ctx.operation] : undefined;
  const client = ctx?.clientName
    ? `"${inertText(ctx.clientName, SHORT_TEXT_MAX)}"`
    : ctx?.clientId === undefined
      ? undefined
      : inertText(ctx.clientId, SHORT_TEXT_MAX);
  return label ? label(client) : fallback;
}

/**
 * `err` with the client's name in its context when it is an API-core error of a client operation, so that
 * its sentence names the client as the user knows it (`client_name`), not by its ID. Returns `err`.
 */
export function namingClient(err: unknown, clientName: string | undefined): unknown {
  if (err instanceof SlashIdError && err.context && clientName?.trim()) {
    err.withContext({ ...err.context, clientName });
  }
  return err;
}

/** How much of a short server or caller value (an error code, a content type, a field path) a sentence quotes. */
const SHORT_TEXT_MAX = 100;

function where(ctx: OperationContext | undefined): string {
  return ctx?.baseUrl ?? 'the SlashID API';
}

function apiText(status: number, messages: readonly string[]): string {
  // Server text: inert (no links, no control characters) and short, whatever the error was built with.
  const text = inertText(messages.filter((m) => m.trim()).join('; '));
  return text ? `${status}: ${ensureNoFinalDot(text)}` : String(status);
}

function ensureNoFinalDot(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

function retried(ctx: OperationContext | undefined): string {
  return ctx?.attempts && ctx.attempts > 1 ? ` (tried ${ctx.attempts} times)` : '';
}

function describeApiError(err: SlashIdApiError): string {
  const ctx = err.context;
  const op = ctx?.operation;
  const head = `${what(ctx)} failed`;
  const api = apiText(err.status, err.messages);
  const org = ctx?.orgId ? ` (${ctx.orgId})` : '';
  switch (err.status) {
    case 400:
      if (op === 'getOidcTokens') {
        return `${head}: SlashID rejected the token container (${api}). Paste the whole SlashID-Token issued after the SSO login.`;
      }
      return `${head}: SlashID rejected the request (${api}). Correct the values and try again.`;
    case 401:
      if (op === 'getUserinfo' && err.bearerError === 'insufficient_scope') {
        return `${head}: the access token was not granted the openid scope (${api}). Userinfo needs a token requested with openid.`;
      }
      if (op === 'getUserinfo') {
        return `${head}: the access token was rejected (${api}). It may have expired or been revoked; get a new token and try again.`;
      }
      if (op === 'getOidcTokens') {
        return `${head}: the SSO token container was rejected (${api}). It may have expired or belong to another organization; sign in with SSO again to get a new one.`;
      }
      return `${head}: the API key was rejected (${api}). Replace the key with 'SlashID: Replace API Key'.`;
    case 403:
      if (op === 'getUserinfo') {
        return `${head}: access denied (${api}). Userinfo needs an access token granted the openid scope; request it with openid.`;
      }
      if (op !== undefined && PER_CLIENT.has(op)) {
        const admin = WRITES.has(op) ? ' Changing a client also needs an admin API key, not a member key.' : '';
        return `${head}: access denied (${api}). The organization in the SlashID-OrgID header${org} must own the client or be a parent of its owner; open the client from that organization.${admin}`;
      }
      if (op !== undefined && WRITES.has(op)) {
        return `${head}: access denied (${api}). Creating and changing clients needs an admin API key; replace the key with 'SlashID: Replace API Key'.`;
      }
      if (op === 'getOidcTokens' || op === 'mintTokens') {
        return `${head}: access denied (${api}). The person, client or SSO login must belong to the organization${org} or one of its sub-organizations.`;
      }
      return `${head}: access denied (${api}). Check that the API key belongs to the organization${org}.`;
    case 404:
      if (op !== undefined && PER_CLIENT.has(op)) {
        return `${head}: the client was not found (${api}). It may have been deleted; refresh the list.`;
      }
      if (op === 'mintTokens') {
        return `${head}: the person or the client was not found (${api}). Pick them again from the lists.`;
      }
      if (op === 'getOidcTokens') {
        return `${head}: no OIDC tokens were found for this SSO login (${api}).`;
      }
      if (op === 'revokeSsoTokens') {
        return `${head}: no SSO tokens were found for this person and login (${api}). They may have been revoked already.`;
      }
      return `${head}: not found (${api}). Check the base URL ${where(ctx)} points at the SlashID API.`;
    case 408:
      return `${head}: SlashID could not reach the required consistency in time (${api}). The change may still be applied: refresh before trying again.`;
    case 409:
      return `${head}: it conflicts with the current state (${api}). Refresh and try again.`;
    case 429:
      return `${head}: SlashID is limiting the request rate (${api})${retried(ctx)}. ${retryHint(err.retryAt)}`;
    default:
      if (err.status >= 500) {
        const again = err.retryAt ? retryHint(err.retryAt) : 'Try again in a moment.';
        return `${head}: SlashID had a server error (${api})${retried(ctx)}. ${again}`;
      }
      return `${head}: SlashID answered ${api}.`;
  }
}

function retryHint(retryAt: Date | undefined): string {
  if (!retryAt || !Number.isFinite(retryAt.getTime())) {
    return 'Wait a moment and try again.';
  }
  const wait = Math.max(0, Math.ceil((retryAt.getTime() - Date.now()) / 1000));
  return `It asked to wait until ${retryAt.toISOString().replace(/\.\d+Z$/, 'Z')} (about ${wait} s); try again then.`;
}

function describeOAuthError(err: OAuthError): string {
  const ctx = err.context;
  const head = `${what(ctx, 'The token request')} failed`;
  const code = inertText(err.error, SHORT_TEXT_MAX);
  const detail = err.errorDescription ? `${code}: ${ensureNoFinalDot(inertText(err.errorDescription))}` : code;
  switch (err.error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return `${head}: SlashID rejected the client credentials (${err.status} ${detail}). Check the client ID and secret: store the current secret, or rotate it to get a new one.`;
    case 'invalid_scope':
      return `${head}: a requested scope is not allowed for this client (${err.status} ${detail}). Request only the client's scopes, or add the scope with 'SlashID: Edit Client'.`;
    case 'invalid_grant':
      return `${head}: SlashID rejected the grant (${err.status} ${detail}). The authorization code or refresh token is invalid, expired, already used or revoked, or belongs to another client or redirect URI; start the flow again.`;
    case 'unsupported_grant_type':
      return `${head}: the client does not allow this grant (${err.status} ${detail}). Add the grant type with 'SlashID: Edit Client'.`;
    default:
      return `${head}: SlashID answered ${err.status} ${detail}.`;
  }
}

/**
 * One clear sentence for the user about any error: what failed, why, and what to do. Total: never
 * throws, and never includes a secret. Server text in it is inert and short (`inertText`).
 */
export function describeError(err: unknown): string {
  try {
    return describeAny(err);
  } catch {
    return 'The SlashID request failed, and its error could not be described. Try again; if it persists, check the SlashID log.';
  }
}

function describeAny(err: unknown): string {
  if (err instanceof SlashIdApiError) {
    return describeApiError(err);
  }
  if (err instanceof OAuthError) {
    return describeOAuthError(err);
  }
  if (err instanceof NetworkError) {
    const code = inertText(err.code, SHORT_TEXT_MAX);
    const reason = NETWORK_REASONS[err.code] ?? `network error ${code}`;
    return `${what(err.context)} failed: cannot reach ${where(err.context)} (${code}: ${reason})${retried(err.context)}. Check the base URL and your network connection.`;
  }
  if (err instanceof TimeoutError) {
    const raise = err.timeoutMs >= DEFAULT_TIMEOUT_MS ? 'raise' : 'check';
    return `${what(err.context)} failed: no answer from ${where(err.context)} within ${seconds(err.timeoutMs)}${retried(err.context)}. Check your network, or ${raise} the 'slashid.requestTimeout' setting.`;
  }
  if (err instanceof SchemaError) {
    const more = err.issueCount > 1 ? ` and ${err.issueCount - 1} more problem${err.issueCount > 2 ? 's' : ''}` : '';
    return `${what(err.context)} failed: the answer from ${where(err.context)} does not have the expected shape (field ${inertText(err.field, SHORT_TEXT_MAX)}: ${inertText(err.expectation, SHORT_TEXT_MAX * 2)}${more}). Check that the base URL points at the SlashID API; if it does, the API has changed and the extension needs an update.`;
  }
  if (err instanceof MalformedResponseError) {
    const why =
      err.kind === 'empty'
        ? 'the answer was empty'
        : err.kind === 'truncated'
          ? 'the answer is not valid JSON: it ends too early (truncated)'
          : `the answer is not valid JSON${err.contentType ? ` (content type ${inertText(err.contentType.split(';')[0], SHORT_TEXT_MAX)})` : ''}`;
    return `${what(err.context)} failed: ${why} (HTTP ${err.status} from ${where(err.context)}). Check that the base URL points at the SlashID API and try again.`;
  }
  if (err instanceof RequestValidationError) {
    const list = inertText(err.problems.map((p) => `${p.field} ${ensureNoFinalDot(inertText(p.message))}`).join('; '));
    return `${what(err.context)} was not sent: the request is invalid (${list}). Correct it and try again.`;
  }
  if (err instanceof MissingApiKeyError) {
    return `${what(err.context, 'The request')} was not sent: no API key is stored for "${inertText(err.orgName, SHORT_TEXT_MAX)}". Add one with 'SlashID: Replace API Key'.`;
  }
  if (err instanceof Error) {
    return `Unexpected error: ${inertText(err.message || err.name)}`;
  }
  return `Unexpected error: ${inertText(String(err))}`;
}
