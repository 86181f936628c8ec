import * as z from 'zod/mini';
import {
  API_KEY_HEADER,
  DISCOVERY_PATH,
  JWKS_PATH,
  MAX_DISCOVERY_BYTES,
  MAX_JWKS_BYTES,
  ORG_ID_HEADER,
  REQUIRED_CONSISTENCY_HEADER,
  SLASHID_TOKEN_HEADER,
  type RequiredConsistency,
} from './contract';
import {
  MalformedResponseError,
  NetworkError,
  OAuthError,
  type Operation,
  type OperationContext,
  RequestValidationError,
  SchemaError,
  SlashIdApiError,
  SlashIdError,
  TimeoutError,
  type FieldProblem,
} from './errors';
import type { PoolRegistry } from './poolRegistry';
import {
  HttpTransport,
  headerValue,
  parseRetryAfter,
  retryDelay,
  retryPolicy,
  transportFailure,
  type HttpAnswer,
  type Method,
  type RetryOptions,
  type RetryPolicy,
} from './transport';
import { basicCredentials, scrubSecrets } from './redaction';
import { inertText } from './untrustedText';
import { REDACTED, redactRequest, type RecordedBody, type RecordedRequest } from './recordedRequest';
import { validateCreateClient, validateListPersons, validateMintTokens, validateUpdateClient } from './requestValidation';
import {
  CreatedOAuth2ClientSchema,
  DiscoveryDocumentSchema,
  ErrorEnvelopeSchema,
  IntrospectionResponseSchema,
  JwksSchema,
  MintResultSchema,
  clientListAnswerCompiled,
  OAuth2ClientSchema,
  OAuthErrorBodySchema,
  OidcTokenListSchema,
  PersonListSchema,
  RotatedSecretSchema,
  SubOrganizationIdsSchema,
  TokenResponseSchema,
  envelopeOf,
  type CreateClientRequest,
  type CreatedOAuth2Client,
  type DiscoveryDocument,
  type IntrospectionResponse,
  type Jwks,
  type ListPersonsQuery,
  type MintResult,
  type MintTokensRequest,
  type OAuth2Client,
  type OidcToken,
  type Person,
  type RotatedSecret,
  type TokenResponse,
  type TokenTypeHint,
  type UpdateClientRequest,
} from './schemas';
import { describeSchemaIssue, formatIssuePath } from './schemaIssues';

export type { RecordedRequest } from './recordedRequest';
export { parseRetryAfter, type RetryOptions } from './transport';

/**
 * The SlashID API client: one typed method per operation, every answer checked with zod, typed errors
 * (errors.ts) and a redacted record of the last request (for "Copy as curl").
 *
 * Transport: an undici `Pool` per origin from a shared {@link PoolRegistry} (keep-alive). Each attempt
 * has one deadline (`timeoutMs`) covering the headers and the body. Reads (GET) are retried as
 * contract.ts describes; writes are never replayed. No `vscode` import.
 */

export interface RequestLogEntry {
  readonly operation: Operation;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** HTTP status, when an answer arrived. */
  readonly status?: number;
  readonly durationMs: number;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Short cause when no usable answer arrived: an error code (`ECONNREFUSED`), `timeout`, `malformed`, `schema`. Never a secret. */
  readonly error?: string;
  /** The request, secrets redacted. */
  readonly request?: RecordedRequest;
}

export interface SlashIdClientOptions {
  /** e.g. `https://api.slashid.com` or the emulator's URL; a path prefix is kept, a trailing slash dropped. */
  baseUrl: string;
  /** Sent as `SlashID-OrgID`. */
  orgId: string;
  /** Called before each request that needs the key (so a replaced key takes effect at once). */
  apiKey: () => Promise<string> | string;
  /** Deadline per attempt for the whole answer. Default 15,000 ms. */
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Called once per attempt. Entries never contain secrets. */
  log?: (entry: RequestLogEntry) => void;
  /** `User-Agent` header. Default `slashid-oauth2`. */
  userAgent?: string;
  /** Sent as `SlashID-Required-Consistency` on client writes (create, update, delete, rotate). */
  requiredConsistency?: RequiredConsistency;
  /** Connection pools; default the shared registry. */
  pools?: PoolRegistry;
}

interface RequestSpec<T> {
  readonly operation: Operation;
  readonly clientId?: string;
  readonly method: Method;
  /** Path relative to the base URL, segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** `apiKey`: SlashID-API-Key; `basic`: HTTP Basic with a client's credentials; `none`: only the org header. */
  readonly auth: 'apiKey' | 'none' | { readonly basic: readonly [clientId: string, clientSecret: string] };
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: RecordedBody;
  /** `envelope`: `{result}`; `plain`: the JSON itself; `oauth`: plain, with RFC 6749 errors; `none`: no body expected. */
  readonly answer: 'envelope' | 'plain' | 'oauth' | 'none';
  readonly schema?: z.ZodMiniType<T>;
  /**
   * Instead of `schema`: a zod-compiled schema of the whole answer (envelope included) that does not
   * transform. The answer is checked with `z.validate` (nothing copied) and the JSON itself returned;
   * an answer that fails is parsed with it again, for the issue to name.
   */
  readonly compiled?: z.ZodMiniType;
  /** Values that must never appear in an error message (besides the API key). */
  readonly secrets?: readonly string[];
  readonly write?: boolean;
  /** Largest answer read, in bytes (default: contract.ts's MAX_RESPONSE_BYTES). */
  readonly maxBytes?: number;
}

/** At most this many of an error answer's `errors[].message` are kept (each already shortened by `inertText`). */
const MAX_API_MESSAGES = 5;
/** An RFC 6749 `error` is a short code; a longer one is cut to this. */
const OAUTH_ERROR_CODE_MAX = 100;

export class SlashIdClient {
  readonly baseUrl: string;
  readonly orgId: string;
  private readonly origin: string;
  private readonly pathPrefix: string;
  private readonly retry: RetryPolicy;
  private readonly http: HttpTransport;
  private _lastRequest: RecordedRequest | undefined;

  constructor(private readonly options: SlashIdClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new TypeError(`The SlashID base URL must be http(s), got ${url.protocol}`);
    }
    this.origin = url.origin;
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.baseUrl = this.origin + this.pathPrefix;
    this.orgId = options.orgId;
    this.retry = retryPolicy(options.retry);
    this.http = new HttpTransport({ timeoutMs: options.timeoutMs, ...(options.pools ? { pools: options.pools } : {}) });
  }

  /** The last request this client sent (or tried to), secrets redacted. */
  get lastRequest(): RecordedRequest | undefined {
    return this._lastRequest;
  }

  /** A client for another organization (e.g. a sub-org) with the same key getter, options and pools. */
  withOrg(orgId: string): SlashIdClient {
    return new SlashIdClient({ ...this.options, orgId });
  }

  // -------------------------------------------------------------------------------------------------
  // OAuth2 clients

  /** `GET /oauth2/clients`: every client owned by the org (not its sub-orgs'), every field checked (see `clientListAnswerCompiled`). */
  async listClients(): Promise<OAuth2Client[]> {
    return await this.send<OAuth2Client[]>({
      operation: 'listClients',
      method: 'GET',
      path: '/oauth2/clients',
      auth: 'apiKey',
      answer: 'envelope',
      compiled: clientListAnswerCompiled(),
    });
  }

  /** `GET /oauth2/clients/{id}`: 403 unless the org owns the client or is a parent of its owner. */
  async getClient(clientId: string): Promise<OAuth2Client> {
    this.checkId('getClient', clientId);
    return await this.send({
      operation: 'getClient',
      clientId,
      method: 'GET',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      answer: 'envelope',
      schema: OAuth2ClientSchema,
    });
  }

  /** `POST /oauth2/clients` (admin key). The answer carries the client secret, shown this once. Never retried. */
  async createClient(request: CreateClientRequest): Promise<CreatedOAuth2Client> {
    this.checkBody('createClient', undefined, validateCreateClient(request));
    return await this.send({
      operation: 'createClient',
      method: 'POST',
      path: '/oauth2/clients',
      auth: 'apiKey',
      body: { type: 'json', value: request },
      answer: 'envelope',
      schema: CreatedOAuth2ClientSchema,
      write: true,
    });
  }

  /** `PATCH /oauth2/clients/{id}` (admin key): only the fields given change. */
  async updateClient(clientId: string, patch: UpdateClientRequest): Promise<OAuth2Client> {
    this.checkId('updateClient', clientId);
    this.checkBody('updateClient', clientId, validateUpdateClient(patch));
    return await this.send({
      operation: 'updateClient',
      clientId,
      method: 'PATCH',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      body: { type: 'json', value: patch },
      answer: 'envelope',
      schema: OAuth2ClientSchema,
      write: true,
    });
  }

  /** `DELETE /oauth2/clients/{id}` (admin key); SlashID revokes the client's tokens. */
  async deleteClient(clientId: string): Promise<void> {
    this.checkId('deleteClient', clientId);
    await this.send({
      operation: 'deleteClient',
      clientId,
      method: 'DELETE',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      answer: 'none',
      write: true,
    });
  }

  /** `PUT /oauth2/clients/{id}/secret` (admin key): a new secret; the old one stops working at once. */
  async rotateClientSecret(clientId: string): Promise<RotatedSecret> {
    this.checkId('rotateClientSecret', clientId);
    return await this.send({
      operation: 'rotateClientSecret',
      clientId,
      method: 'PUT',
      path: `/oauth2/clients/${enc(clientId)}/secret`,
      auth: 'apiKey',
      answer: 'envelope',
      schema: RotatedSecretSchema,
      write: true,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Tokens

  /**
   * `POST /oauth2/tokens` with the client-credentials grant (HTTP Basic). `scopes`: a list (joined with
   * spaces) or an already joined string; none = the client's default. RFC 6749 errors: `OAuthError`.
   */
  async getClientCredentialsToken(clientId: string, clientSecret: string, scopes?: readonly string[] | string): Promise<TokenResponse> {
    const problems: FieldProblem[] = [];
    requireText(clientId, 'client_id', problems);
    requireText(clientSecret, 'client_secret', problems);
    const scopeList = typeof scopes === 'string' ? scopes.split(/\s+/).filter(Boolean) : (scopes ?? []);
    scopeList.forEach((s, i) => {
      if (typeof s !== 'string' || !s || /\s/.test(s)) {
        problems.push({ field: `scope[${i}]`, message: 'must be a non-empty scope without spaces' });
      }
    });
    this.checkBody('getClientCredentialsToken', clientId, problems);
    const fields: [string, string][] = [['grant_type', 'client_credentials']];
    if (scopeList.length > 0) {
      fields.push(['scope', scopeList.join(' ')]);
    }
    return await this.send({
      operation: 'getClientCredentialsToken',
      clientId,
      method: 'POST',
      path: '/oauth2/tokens',
      auth: { basic: [clientId, clientSecret] },
      body: { type: 'form', fields },
      answer: 'oauth',
      schema: TokenResponseSchema,
      secrets: [clientSecret],
    });
  }

  /** `POST /oauth2/tokens/introspect` (HTTP Basic with the client's credentials). */
  async introspectToken(clientId: string, clientSecret: string, token: string, hint?: TokenTypeHint): Promise<IntrospectionResponse> {
    const problems: FieldProblem[] = [];
    requireText(clientId, 'client_id', problems);
    requireText(clientSecret, 'client_secret', problems);
    requireText(token, 'token', problems);
    if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') {
      problems.push({ field: 'token_type_hint', message: 'must be access_token or refresh_token' });
    }
    this.checkBody('introspectToken', clientId, problems);
    const fields: [string, string][] = [['token', token]];
    if (hint) {
      fields.push(['token_type_hint', hint]);
    }
    return await this.send({
      operation: 'introspectToken',
      clientId,
      method: 'POST',
      path: '/oauth2/tokens/introspect',
      auth: { basic: [clientId, clientSecret] },
      body: { type: 'form', fields },
      answer: 'oauth',
      schema: IntrospectionResponseSchema,
      secrets: [clientSecret, token],
    });
  }

  /** `POST /oauth2/tokens/mint`: tokens for a person; `openid` adds an ID token, `offline_access` a refresh token. */
  async mintTokens(request: MintTokensRequest): Promise<MintResult> {
    this.checkBody('mintTokens', undefined, validateMintTokens(request));
    return await this.send({
      operation: 'mintTokens',
      method: 'POST',
      path: '/oauth2/tokens/mint',
      auth: 'apiKey',
      body: { type: 'json', value: request },
      answer: 'envelope',
      schema: MintResultSchema,
    });
  }

  /** `GET /sso/oidc/tokens` with the token container of an SSO login in `SlashID-Token`. */
  async getOidcTokens(slashIdToken: string): Promise<OidcToken[]> {
    const problems: FieldProblem[] = [];
    requireText(slashIdToken, 'SlashID-Token', problems);
    this.checkBody('getOidcTokens', undefined, problems);
    return await this.send({
      operation: 'getOidcTokens',
      method: 'GET',
      path: '/sso/oidc/tokens',
      auth: 'apiKey',
      headers: { [SLASHID_TOKEN_HEADER]: slashIdToken.trim() },
      answer: 'envelope',
      schema: OidcTokenListSchema,
      secrets: [slashIdToken.trim()],
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Persons, organizations, keys

  /** `GET /persons` (limit up to 1000). */
  async listPersons(query: ListPersonsQuery = {}): Promise<Person[]> {
    this.checkBody('listPersons', undefined, validateListPersons(query));
    return await this.send({
      operation: 'listPersons',
      method: 'GET',
      path: '/persons',
      query: { limit: query.limit, offset: query.offset, filter: query.filter },
      auth: 'apiKey',
      answer: 'envelope',
      schema: PersonListSchema,
    });
  }

  /** `GET /organizations/suborganizations`: IDs of the org's descendants. */
  async listSubOrganizations(): Promise<string[]> {
    return await this.send({
      operation: 'listSubOrganizations',
      method: 'GET',
      path: '/organizations/suborganizations',
      auth: 'apiKey',
      answer: 'envelope',
      schema: SubOrganizationIdsSchema,
    });
  }

  /** `GET /.well-known/jwks.json` (public; no API key sent). */
  async getJwks(): Promise<Jwks> {
    return await this.send({
      operation: 'getJwks',
      method: 'GET',
      path: JWKS_PATH,
      auth: 'none',
      answer: 'plain',
      schema: JwksSchema,
      maxBytes: MAX_JWKS_BYTES,
    });
  }

  /** `GET /.well-known/openid-configuration` (public; no API key sent). */
  async getDiscovery(): Promise<DiscoveryDocument> {
    return await this.send({
      operation: 'getDiscovery',
      method: 'GET',
      path: DISCOVERY_PATH,
      auth: 'none',
      answer: 'plain',
      schema: DiscoveryDocumentSchema,
      maxBytes: MAX_DISCOVERY_BYTES,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Transport

  private context(spec: { operation: Operation; clientId?: string }, attempts?: number): OperationContext {
    return {
      operation: spec.operation,
      ...(spec.clientId ? { clientId: spec.clientId } : {}),
      orgId: this.orgId,
      baseUrl: this.baseUrl,
      ...(attempts !== undefined ? { attempts } : {}),
    };
  }

  private checkId(operation: Operation, clientId: string): void {
    const problems: FieldProblem[] = [];
    requireText(clientId, 'client_id', problems);
    this.checkBody(operation, undefined, problems);
  }

  /** Throws a RequestValidationError (nothing is sent) when there are problems. */
  private checkBody(operation: Operation, clientId: string | undefined, problems: readonly FieldProblem[]): void {
    if (problems.length > 0) {
      throw new RequestValidationError(problems, this.context({ operation, ...(clientId ? { clientId } : {}) }));
    }
  }

  private async send<T>(spec: RequestSpec<T>): Promise<T> {
    const secrets = [...(spec.secrets ?? [])];
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': this.options.userAgent ?? 'slashid-oauth2',
      [ORG_ID_HEADER]: this.orgId,
    };
    if (spec.auth === 'apiKey') {
      let key: string;
      try {
        key = await this.options.apiKey();
      } catch (err) {
        throw err instanceof SlashIdError ? err.withContext(this.context(spec)) : err;
      }
      headers[API_KEY_HEADER] = key;
      secrets.push(key);
    } else if (spec.auth !== 'none') {
      const [user, password] = spec.auth.basic;
      const credentials = basicCredentials(user, password);
      headers.authorization = `Basic ${credentials}`;
      secrets.push(credentials);
    }
    if (spec.write && this.options.requiredConsistency) {
      headers[REQUIRED_CONSISTENCY_HEADER] = this.options.requiredConsistency;
    }
    Object.assign(headers, spec.headers);

    let payload: string | undefined;
    if (spec.body?.type === 'json') {
      payload = JSON.stringify(spec.body.value);
      headers['content-type'] = 'application/json';
    } else if (spec.body?.type === 'form') {
      payload = new URLSearchParams(spec.body.fields.map(([k, v]): [string, string] => [k, v])).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }

    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(spec.query ?? {})) {
      if (v !== undefined) {
        search.set(k, String(v));
      }
    }
    const path = this.pathPrefix + spec.path + (search.size > 0 ? `?${search.toString()}` : '');
    const recorded = redactRequest({
      method: spec.method,
      url: this.origin + path,
      headers,
      ...(spec.auth !== 'apiKey' && spec.auth !== 'none' ? { basicAuthUser: spec.auth.basic[0] } : {}),
      ...(spec.body ? { body: spec.body } : {}),
    });
    this._lastRequest = recorded;

    // Only reads are retried (contract.ts): a write whose answer was lost may have been applied.
    const policy: RetryPolicy = spec.method === 'GET' ? this.retry : { ...this.retry, attempts: 1 };
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let answer: HttpAnswer;
      try {
        answer = await this.http.exchange(this.origin, {
          method: spec.method,
          path,
          headers,
          ...(payload !== undefined ? { body: payload } : {}),
          ...(spec.maxBytes !== undefined ? { maxBytes: spec.maxBytes } : {}),
        });
      } catch (err) {
        const failure = transportFailure(err);
        const error = this.transportError(err, spec, attempt);
        this.emitLog(spec, recorded, attempt, started, undefined, failure.timeout ? 'timeout' : (failure.code ?? 'failed'));
        const delay = retryDelay(policy, attempt, { kind: 'transport', ...failure });
        if (delay !== undefined) {
          await this.retry.sleep(delay);
          continue;
        }
        throw error;
      }

      if (answer.status >= 200 && answer.status < 300) {
        try {
          const value = this.parseSuccess(spec, answer, attempt);
          this.emitLog(spec, recorded, attempt, started, answer.status);
          return value;
        } catch (err) {
          this.emitLog(spec, recorded, attempt, started, answer.status, err instanceof SchemaError ? 'schema' : 'malformed');
          throw err;
        }
      }

      const retryAfterMs = parseRetryAfter(headerValue(answer.headers, 'retry-after'));
      const error = this.errorAnswer(spec, answer, attempt, secrets, retryAfterMs);
      this.emitLog(spec, recorded, attempt, started, answer.status);
      // A Retry-After longer than the policy allows is not waited for: the error carries retryAt, so the message says when.
      const delay =
        error instanceof SlashIdApiError
          ? retryDelay(policy, attempt, { kind: 'status', status: answer.status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) })
          : undefined;
      if (delay !== undefined) {
        await this.retry.sleep(delay);
        continue;
      }
      throw error;
    }
  }

  private transportError(err: unknown, spec: RequestSpec<unknown>, attempt: number): SlashIdError {
    const ctx = this.context(spec, attempt);
    const { timeout, code } = transportFailure(err);
    if (timeout) {
      return new TimeoutError(this.http.timeoutMs, ctx);
    }
    return new NetworkError(code ?? 'UNKNOWN', ctx, err);
  }

  private parseSuccess<T>(spec: RequestSpec<T>, answer: HttpAnswer, attempt: number): T {
    const envelope = spec.answer === 'envelope';
    const { schema, compiled } = spec;
    const parser = compiled ?? (schema && (envelope ? envelopeOf(schema) : schema));
    if (spec.answer === 'none' || !parser) {
      return undefined as T;
    }
    const ctx = this.context(spec, attempt);
    const json = parseJson(answer, ctx);
    if (compiled && z.validate(compiled, json)) {
      return (envelope ? (json as { result: T }).result : json) as T;
    }
    const parsed = parser.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SchemaError(formatIssuePath(issue.path), describeSchemaIssue(issue, json), parsed.error.issues.length, ctx);
    }
    return (envelope ? (parsed.data as { result: T }).result : parsed.data) as T;
  }

  private errorAnswer(
    spec: RequestSpec<unknown>,
    answer: HttpAnswer,
    attempt: number,
    secrets: readonly string[],
    retryAfterMs: number | undefined,
  ): SlashIdError {
    const ctx = this.context(spec, attempt);
    let json: unknown;
    try {
      json = answer.text ? JSON.parse(answer.text) : undefined;
    } catch {
      json = undefined;
    }
    if (spec.answer === 'oauth') {
      const oauth = OAuthErrorBodySchema.safeParse(json);
      if (oauth.success) {
        const description = oauth.data.error_description;
        return new OAuthError(
          answer.status,
          inertText(scrubSecrets(oauth.data.error, secrets, REDACTED), OAUTH_ERROR_CODE_MAX),
          description === undefined ? undefined : inertText(scrubSecrets(description, secrets, REDACTED)),
          ctx,
        );
      }
    }
    const envelope = ErrorEnvelopeSchema.safeParse(json);
    const messages = envelope.success
      ? (envelope.data.errors ?? [])
          .slice(0, MAX_API_MESSAGES)
          .map((e) => inertText(scrubSecrets(e.message ?? '', secrets, REDACTED)))
          .filter((m) => m.length > 0)
      : [];
    const retryAt = retryAfterMs !== undefined ? new Date(Date.now() + retryAfterMs) : undefined;
    return new SlashIdApiError(answer.status, messages, ctx, retryAt);
  }

  private emitLog(
    spec: RequestSpec<unknown>,
    request: RecordedRequest,
    attempt: number,
    started: number,
    status?: number,
    error?: string,
  ): void {
    if (!this.options.log) {
      return;
    }
    const entry: RequestLogEntry = {
      operation: spec.operation,
      method: spec.method,
      path: this.pathPrefix + spec.path,
      ...(status !== undefined ? { status } : {}),
      durationMs: performance.now() - started,
      attempt,
      ...(error !== undefined ? { error } : {}),
      request,
    };
    try {
      this.options.log(entry);
    } catch {
      // A failing log sink must not fail the request.
    }
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function requireText(value: unknown, field: string, problems: FieldProblem[]): void {
  if (typeof value !== 'string' || value.trim().length === 0) {
    problems.push({ field, message: 'is required' });
  }
}

function parseJson(answer: HttpAnswer, ctx: OperationContext): unknown {
  const contentType = headerValue(answer.headers, 'content-type');
  const text = answer.text.trim();
  if (!text) {
    throw new MalformedResponseError(answer.status, 'empty', contentType, ctx);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const looksJson = text.startsWith('{') || text.startsWith('[');
    const endedEarly = err instanceof SyntaxError && /end of JSON|Unterminated|Expected .* after/i.test(err.message);
    throw new MalformedResponseError(answer.status, looksJson && endedEarly ? 'truncated' : 'not-json', contentType, ctx);
  }
}
