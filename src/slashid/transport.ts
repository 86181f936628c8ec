import type { Dispatcher } from 'undici';
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, MAX_RESPONSE_BYTES, RETRYABLE_STATUSES } from './contract';
import { sharedPools, type PoolRegistry } from './poolRegistry';

/**
 * The HTTP layer of the API core, shared by `SlashIdClient` and the JWKS cache (src/tokens/jwksCache.ts):
 * one undici `Pool` per origin from a {@link PoolRegistry}, one deadline per attempt covering the headers
 * and the body, a byte cap per request (a `content-length` over it is refused before reading, a streamed
 * body is cut as soon as it passes it), and the retry rules of contract.ts in one function
 * ({@link retryDelay}). No `vscode` import.
 */

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RetryOptions {
  /** Total attempts for a read, the first included (1 = no retry). Default 3. */
  attempts?: number;
  /** First backoff delay; doubles per attempt. Default 200 ms. */
  baseDelayMs?: number;
  /** Largest backoff delay. Default 5 s. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the request fails saying when to retry. Default 30 s. */
  maxRetryAfterMs?: number;
  /** How to wait (tests pass a recorder that resolves at once). Default: `setTimeout`. */
  sleep?: (ms: number) => Promise<void>;
  /** Random source for the jitter, in [0, 1). Default `Math.random`. */
  random?: () => number;
}

export type RetryPolicy = Required<RetryOptions>;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The retry options with contract.ts's defaults filled in. */
export function retryPolicy(options: RetryOptions | undefined): RetryPolicy {
  return {
    attempts: Math.max(1, Math.floor(options?.attempts ?? DEFAULT_RETRY_POLICY.attempts)),
    baseDelayMs: options?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: options?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    sleep: options?.sleep ?? defaultSleep,
    random: options?.random ?? Math.random,
  };
}

/** What went wrong with one attempt of a read, for {@link retryDelay}. */
export type AttemptFailure =
  | { readonly kind: 'transport'; readonly timeout: boolean; readonly code?: string }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterMs?: number };

/**
 * The retry rules of contract.ts, in one place: how long to wait before the next attempt of a read, or
 * undefined when it must not be retried (last attempt, a status other than 429/502/503/504, an answer
 * over the byte cap, or a `Retry-After` longer than `maxRetryAfterMs`).
 */
export function retryDelay(policy: RetryPolicy, attempt: number, failure: AttemptFailure): number | undefined {
  if (attempt >= policy.attempts) return undefined;
  if (failure.kind === 'transport') {
    return failure.code === RESPONSE_TOO_LARGE ? undefined : backoff(policy, attempt);
  }
  if (!RETRYABLE_STATUSES.includes(failure.status)) return undefined;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs > policy.maxRetryAfterMs ? undefined : failure.retryAfterMs;
  }
  return backoff(policy, attempt);
}

/** Exponential backoff with "equal jitter": half fixed, half random. */
export function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * policy.random());
}

/** The longest `Retry-After` we read (a year); anything longer, or not a number or a date, is ignored. */
const MAX_RETRY_AFTER_MS = 366 * 24 * 3600 * 1000;

/**
 * `Retry-After` as a delay in ms: delta-seconds or an HTTP date. Undefined when absent, unreadable or more
 * than a year away (so that `now + delay` is always a valid date). The one parser of the core.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const ms = Number(text) * 1000;
    return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
  }
  if (text.length > 100) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  const ms = Math.max(0, at - now);
  return ms <= MAX_RETRY_AFTER_MS ? ms : undefined;
}

/** One HTTP request: origin from the caller's pool, path with its query already encoded. */
export interface HttpRequest {
  readonly method: Method;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Largest body read, in bytes. Default {@link MAX_RESPONSE_BYTES}. */
  readonly maxBytes?: number;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** The error code of an answer over the byte cap (undici's own code for the same cause). */
export const RESPONSE_TOO_LARGE = 'UND_ERR_RES_EXCEEDED_MAX_SIZE';

/** The per-attempt deadline fired (our AbortSignal reason). */
export class DeadlineReached extends Error {
  constructor() {
    super('deadline reached');
    this.name = 'DeadlineReached';
  }
}

/** The answer is larger than the request's byte cap (announced by `content-length`, or streamed). */
export class ResponseTooLarge extends Error {
  readonly code = RESPONSE_TOO_LARGE;
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLarge';
  }
}

export interface HttpTransportOptions {
  /** Deadline per attempt for the whole answer. Default 15,000 ms. */
  timeoutMs?: number;
  /** Connection pools; default the shared registry. */
  pools?: PoolRegistry;
}

export class HttpTransport {
  readonly timeoutMs: number;
  private readonly pools: PoolRegistry;

  constructor(options: HttpTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
    this.pools = options.pools ?? sharedPools;
  }

  /**
   * One HTTP exchange with one deadline covering headers and body. Throws {@link DeadlineReached},
   * {@link ResponseTooLarge}, or undici's error (see {@link transportFailure}).
   */
  async exchange(origin: string, request: HttpRequest): Promise<HttpAnswer> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineReached()), this.timeoutMs);
    try {
      const response: Dispatcher.ResponseData = await this.pools.get(origin).request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        headersTimeout: this.timeoutMs + 1_000,
        bodyTimeout: this.timeoutMs + 1_000,
      });
      const text = await readCapped(response, request.maxBytes ?? MAX_RESPONSE_BYTES);
      return { status: response.statusCode, headers: response.headers, text };
    } catch (err) {
      if (controller.signal.aborted && controller.signal.reason instanceof DeadlineReached) {
        throw new DeadlineReached();
      }
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads the body as UTF-8, refusing a `content-length` over `maxBytes` before reading and cutting a longer stream. */
async function readCapped(response: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const length = headerValue(response.headers, 'content-length');
  const declared = length === undefined ? Number.NaN : Number(length);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.body.destroy();
    throw new ResponseTooLarge(maxBytes);
  }
  if (Number.isFinite(declared)) {
    // The HTTP/1.1 parser reads no more than the declared length: undici's own reader is safe, and faster.
    return await response.body.text();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      response.body.destroy();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/** A failed exchange as timeout or network error, with the error code when there is one. */
export function transportFailure(err: unknown): { timeout: boolean; code: string | undefined } {
  const code = errorCode(err);
  const timeout = err instanceof DeadlineReached || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
  return { timeout, code };
}

export function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) {
      // AggregateError (happy eyeballs) carries the code on itself or its errors.
      return code;
    }
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = errorCode(errors[0]);
      if (inner) {
        return inner;
      }
    }
  }
  return undefined;
}

export function headerValue(headers: HttpAnswer['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
