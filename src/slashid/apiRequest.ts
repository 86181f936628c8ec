import * as z from 'zod/mini';
import { API_KEY_HEADER, ORG_ID_HEADER, REQUIRED_CONSISTENCY_HEADER, withoutTrailingSlashes, type RequiredConsistency } from './contract';
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
import { REDACTED, redactRequest, type RecordedBody, type RecordedRequest } from './recordedRequest';
import { basicCredentials, scrubSecrets } from './redaction';
import { ErrorEnvelopeSchema, OAuthErrorBodySchema, envelopeOf } from './schemas';
import { describeSchemaIssue, formatIssuePath } from './schemaIssues';
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
import { inertText } from './untrustedText';

/**
 * How one operation of the SlashID API client (client.ts) is sent and answered: headers and
 * authentication (API key, HTTP Basic), the body, the redacted record of the request, the read retries
 * (transport.ts), the answer checked with zod, and every failure turned into its typed error (errors.ts)
 * with the request's secrets scrubbed from server text. client.ts holds the operations; this file the
 * machinery they share. No `vscode` import.
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

/** One operation's request: what the client methods hand to {@link ApiRequester.send}. */
export interface RequestSpec<T> {
  readonly operation: Operation;
  readonly clientId?: string;
  readonly method: Method;
  /** Path relative to the base URL, segments already encoded. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** `apiKey`: SlashID-API-Key; `basic`: HTTP Basic with a client's credentials; `none`: only the org header. */
  readonly auth:
    | 'apiKey'
    | 'none'
    | { readonly basic: readonly [clientId: string, clientSecret: string] }
    /** `Authorization: Bearer <token>` (userinfo): the token is a secret of the request. */
    | { readonly bearer: string };
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

export class ApiRequester {
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
    this.pathPrefix = withoutTrailingSlashes(url.pathname);
    this.baseUrl = this.origin + this.pathPrefix;
    this.orgId = options.orgId;
    this.retry = retryPolicy(options.retry);
    this.http = new HttpTransport({ timeoutMs: options.timeoutMs, ...(options.pools ? { pools: options.pools } : {}) });
  }

  /** The last request sent (or tried), secrets redacted. */
  get lastRequest(): RecordedRequest | undefined {
    return this._lastRequest;
  }

  context(spec: { operation: Operation; clientId?: string }, attempts?: number): OperationContext {
    return {
      operation: spec.operation,
      ...(spec.clientId ? { clientId: spec.clientId } : {}),
      orgId: this.orgId,
      baseUrl: this.baseUrl,
      ...(attempts !== undefined ? { attempts } : {}),
    };
  }

  /** Throws a RequestValidationError (nothing is sent) when `clientId` is empty. */
  checkId(operation: Operation, clientId: string): void {
    const problems: FieldProblem[] = [];
    requireText(clientId, 'client_id', problems);
    this.checkBody(operation, undefined, problems);
  }

  /** Throws a RequestValidationError (nothing is sent) when there are problems. */
  checkBody(operation: Operation, clientId: string | undefined, problems: readonly FieldProblem[]): void {
    if (problems.length > 0) {
      throw new RequestValidationError(problems, this.context({ operation, ...(clientId ? { clientId } : {}) }));
    }
  }

  /** Sends a request (reads retried as contract.ts says) and returns the checked answer, or throws a typed error. */
  async send<T>(spec: RequestSpec<T>): Promise<T> {
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
    } else if (spec.auth !== 'none' && 'bearer' in spec.auth) {
      headers.authorization = `Bearer ${spec.auth.bearer}`;
      secrets.push(spec.auth.bearer);
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
      ...(spec.auth !== 'apiKey' && spec.auth !== 'none' && 'basic' in spec.auth ? { basicAuthUser: spec.auth.basic[0] } : {}),
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
    // RFC 6750 §3: `Bearer realm="…", error="insufficient_scope"`; only the token of an error code is kept.
    const bearerError = /^\s*Bearer\b.*?\berror="([a-z_]{1,64})"/is.exec(headerValue(answer.headers, 'www-authenticate') ?? '')?.[1];
    return new SlashIdApiError(answer.status, messages, ctx, retryAt, bearerError?.toLowerCase());
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

export function requireText(value: unknown, field: string, problems: FieldProblem[]): void {
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
