import {
  createLocalJWKSet,
  errors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ProtectedHeaderParameters,
} from 'jose';
import { compactTokenFrom, decodeToken, type DecodedToken } from './decode';
import { formatDuration, isoFromSeconds } from './times';
import { DEFAULT_RETRY_POLICY, RETRYABLE_STATUSES } from '../slashid/contract';

/**
 * Verifying a token: its signature against the organization's JSON Web Key Set, its issuer, optionally
 * its audience, and its times. All crypto and claim checks are jose's; this module fetches and caches
 * the key set and turns jose's errors into one verdict per cause, each with one sentence for the user.
 *
 * Two entry points:
 * - `JwksCache#verify(token, options)`: the key set comes from `${issuer}/.well-known/jwks.json`,
 *   fetched with a timeout, cached per URL, refetched once (at most once per cooldown) when a token
 *   names an unknown `kid`. The JWKS URL is built from the issuer the caller expects (the org's API
 *   base URL), never from the token's own `iss`.
 * - `verifyWithKeySet(token, keySet, options)`: a key set the caller has, e.g. `createLocalJWKSet(jwks)`;
 *   the fast path (the benchmark compares it with bare `jwtVerify`).
 *
 * Browser-safe as written (jose and the standard `fetch`); Node callers may inject undici's fetch.
 */

export type VerifyVerdict =
  | 'valid'
  | 'alg-none'
  | 'unsupported-alg'
  | 'unknown-kid'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'malformed'
  | 'jwks-unavailable';

export interface VerifyResult {
  readonly verdict: VerifyVerdict;
  /** One sentence for the user. Never quotes the token. */
  readonly message: string;
  /** The verified payload, when the verdict is `valid`. */
  readonly payload?: JWTPayload;
  /** The protected header, when the token could be decoded. */
  readonly header?: ProtectedHeaderParameters;
  /** The token's `kid`, when it has one. */
  readonly kid?: string;
}

export interface VerifyOptions {
  /** The expected issuer: the organization's API base URL (a trailing slash is ignored). */
  issuer: string;
  /** The expected audience(s); not checked when absent. */
  audience?: string | string[];
  /** The current time (a Date or epoch milliseconds). Default: the clock. */
  now?: Date | number;
  /** Clock skew allowed for `exp` and `nbf`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** The JWKS URL of an issuer (the API base URL): `${issuer}/.well-known/jwks.json`. */
export function jwksUrlFor(issuer: string): string {
  return `${stripTrailingSlashes(issuer)}/.well-known/jwks.json`;
}

// ---------------------------------------------------------------------------------------------------
// Verifying with a key set

interface KeySource {
  /** Where the keys came from, for messages: "the JWKS at <url>" or "the key set". */
  readonly description: string;
  /** The key IDs it holds, for the unknown-kid message; computed only on that path. */
  readonly kids: () => string[] | undefined;
}

const memoizedResolvers = new WeakMap<JWTVerifyGetKey, JWTVerifyGetKey>();

/**
 * Verifies a token (compact string, or the result of `decodeToken` to skip decoding again) with a key
 * set such as `createLocalJWKSet(jwks)`. Never throws.
 */
export async function verifyWithKeySet(
  token: string | DecodedToken,
  keySet: JWTVerifyGetKey,
  options: VerifyOptions,
): Promise<VerifyResult> {
  let resolver = memoizedResolvers.get(keySet);
  if (resolver === undefined) {
    resolver = memoizeKeyResolver(keySet);
    memoizedResolvers.set(keySet, resolver);
  }
  return verifyWith(token, resolver, options, { description: 'the key set', kids: () => kidsOfKeySet(keySet) });
}

async function verifyWith(
  token: string | DecodedToken,
  resolver: JWTVerifyGetKey,
  options: VerifyOptions,
  source: KeySource,
): Promise<VerifyResult> {
  let decoded: DecodedToken | undefined;
  let compact: string;
  if (typeof token === 'string') {
    compact = compactTokenFrom(token);
  } else {
    decoded = token;
    compact = token.token;
    if (token.algNone) return algNoneResult(token);
  }
  const issuer = stripTrailingSlashes(options.issuer);
  const now = options.now === undefined ? undefined : new Date(options.now);
  try {
    const { payload, protectedHeader } = await jwtVerify(compact, resolver, {
      issuer,
      audience: options.audience,
      currentDate: now,
      clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    });
    const kid = typeof protectedHeader.kid === 'string' ? protectedHeader.kid : undefined;
    return {
      verdict: 'valid',
      message: `The signature is valid (${kid === undefined ? 'a key' : `key "${kid}"`} from ${source.description}), the issuer matches and the token is within its validity period.`,
      payload,
      header: protectedHeader,
      ...(kid === undefined ? {} : { kid }),
    };
  } catch (error) {
    if (decoded === undefined) {
      const result = decodeToken(compact);
      if (!result.ok) return { verdict: 'malformed', message: result.message };
      decoded = result;
    }
    return classify(error, decoded, options, issuer, source);
  }
}

function algNoneResult(decoded: DecodedToken): VerifyResult {
  return withToken(decoded, {
    verdict: 'alg-none',
    message: `The token is unsecured (alg "${decoded.alg}"): it has no signature, so nothing vouches for its contents.`,
  });
}

function withToken(decoded: DecodedToken, result: { verdict: VerifyVerdict; message: string }): VerifyResult {
  return decoded.kid === undefined ? { ...result, header: decoded.header } : { ...result, header: decoded.header, kid: decoded.kid };
}

function classify(error: unknown, decoded: DecodedToken, options: VerifyOptions, issuer: string, source: KeySource): VerifyResult {
  if (decoded.algNone) return algNoneResult(decoded);
  const result = (verdict: VerifyVerdict, message: string) => withToken(decoded, { verdict, message });
  const alg = decoded.alg ?? '(none)';
  const kidText = decoded.kid === undefined ? 'no kid' : `kid "${clip(decoded.kid)}"`;

  if (error instanceof JwksUnavailableError) return result('jwks-unavailable', error.message);
  if (error instanceof errors.JWKSNoMatchingKey) {
    const kids = source.kids();
    if (decoded.kid !== undefined && kids?.includes(decoded.kid)) {
      return result(
        'unsupported-alg',
        `The key "${clip(decoded.kid)}" in ${source.description} cannot verify alg "${clip(alg)}"; the token's alg does not match the key.`,
      );
    }
    const known =
      kids === undefined ? '' : kids.length === 0 ? ' (it has no keys)' : ` (it has ${kids.map((k) => `"${clip(k)}"`).join(', ')})`;
    return result('unknown-kid', `No key in ${source.description} matches the token's ${kidText} and alg "${clip(alg)}"${known}.`);
  }
  if (error instanceof errors.JOSENotSupported || error instanceof errors.JOSEAlgNotAllowed) {
    const hmac = /^HS\d+$/i.test(alg) ? ' (an HMAC shared-secret algorithm; a JWKS holds public keys only)' : '';
    return result('unsupported-alg', `The token's alg "${clip(alg)}" cannot be verified with ${source.description}${hmac}.`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return result(
      'bad-signature',
      `The signature does not match the key with ${kidText}: the token was altered or signed with another key.`,
    );
  }
  if (error instanceof errors.JWTExpired) {
    const exp = decoded.payload.exp;
    const when = typeof exp === 'number' ? ` ${formatDuration(nowSeconds(options.now) - exp)} ago (${isoFromSeconds(exp)})` : '';
    return result('expired', `The token expired${when}.`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (reason === 'invalid') {
      return result('malformed', `The "${clip(claim)}" claim has the wrong type: ${error.message}.`);
    }
    if (claim === 'nbf') {
      const nbf = decoded.payload.nbf;
      const when =
        typeof nbf === 'number' ? ` for another ${formatDuration(nbf - nowSeconds(options.now))} (${isoFromSeconds(nbf)})` : ' yet';
      return result('not-yet-valid', `The token is not valid${when}.`);
    }
    if (claim === 'iss') {
      const iss = decoded.payload.iss;
      return result(
        'wrong-issuer',
        reason === 'missing' || iss === undefined
          ? `The token has no "iss" claim; expected "${clip(issuer)}".`
          : `The token was issued by ${JSON.stringify(clip(String(iss)))}, not by "${clip(issuer)}" (the organization's API URL).`,
      );
    }
    if (claim === 'aud') {
      const expected = ([] as string[])
        .concat(options.audience ?? [])
        .map((a) => `"${clip(a)}"`)
        .join(' or ');
      const aud = decoded.payload.aud;
      return result(
        'wrong-audience',
        reason === 'missing' || aud === undefined
          ? `The token has no "aud" claim; expected ${expected}.`
          : `The token is for audience ${([] as unknown[])
              .concat(aud)
              .map((a) => JSON.stringify(clip(String(a))))
              .join(', ')}, not ${expected}.`,
      );
    }
    return result('malformed', `The token's "${clip(claim)}" claim failed validation: ${error.message}.`);
  }
  if (error instanceof errors.JWKInvalid || error instanceof errors.JWKSInvalid) {
    return result('jwks-unavailable', `The key for ${kidText} in ${source.description} cannot be used: ${error.message}.`);
  }
  if (error instanceof errors.JOSEError) {
    return result('malformed', `The token is not a well-formed signed JWT: ${error.message}.`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return result('malformed', `The token could not be verified: ${clip(message)}.`);
}

/** Caches resolved keys per (alg, kid): jose's local key set filters its keys on every call. */
export function memoizeKeyResolver(resolver: JWTVerifyGetKey): JWTVerifyGetKey {
  const memo = new Map<string, ReturnType<JWTVerifyGetKey>>();
  return (header, token) => {
    const key = `${String(header.alg)}\u0000${header.kid === undefined ? '' : String(header.kid)}`;
    let pending = memo.get(key);
    if (pending === undefined) {
      pending = Promise.resolve(resolver(header, token));
      memo.set(key, pending);
      // Only successes stay cached; jose tries several keys itself on JWKSMultipleMatchingKeys.
      pending.catch(() => {
        if (memo.get(key) === pending) memo.delete(key);
      });
    }
    return pending;
  };
}

function kidsOfKeySet(keySet: JWTVerifyGetKey): string[] | undefined {
  const jwks = (keySet as { jwks?: unknown }).jwks;
  if (typeof jwks !== 'function') return undefined;
  try {
    const set = (jwks as () => JSONWebKeySet | undefined).call(keySet);
    return set ? kidsOf(set) : undefined;
  } catch {
    return undefined;
  }
}

function kidsOf(set: JSONWebKeySet): string[] {
  return set.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string');
}

// ---------------------------------------------------------------------------------------------------
// Fetching and caching key sets

/** The part of a fetch Response the cache reads. */
export interface JwksHttpResponse {
  readonly status: number;
  /** Read for `Retry-After` on a 429/503 answer. */
  readonly headers?: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface JwksRequestInit {
  method: 'GET';
  headers: Record<string, string>;
  redirect: 'manual';
  signal: AbortSignal;
}

/** A fetch: the global one, undici's, or a test's. */
export type JwksFetch = (url: string, init: JwksRequestInit) => Promise<JwksHttpResponse>;

export interface JwksCacheOptions {
  /** Default: the global `fetch`. */
  fetch?: JwksFetch;
  /** Abort a JWKS request after this many milliseconds. Default 5,000. */
  timeoutMs?: number;
  /** After a fetch, an unknown kid refetches only once this many milliseconds have passed. Default 30,000. */
  cooldownMs?: number;
  /** Keys are refetched when older than this. Default 600,000 (10 min). */
  maxAgeMs?: number;
  /** After a failed fetch, answer `jwks-unavailable` without refetching for this long. Default 2,000. */
  failureBackoffMs?: number;
  /** Clock for the cache timings (not for token times). Default `Date.now`. */
  now?: () => number;
}

/** The key set could not be had: network error, timeout, bad status, not a JWKS. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
  constructor(
    readonly url: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Could not get the signing keys from ${url}: ${problem}.`, options);
  }
}

/**
 * A JWKS fetch is a read, retried as the API core retries reads (contract.ts): once, after a network
 * error (not a timeout: the callers' budgets are short) or a 429/502/503/504. A `Retry-After` longer
 * than a second is not waited for.
 */
const JWKS_ATTEMPTS = 2;
const JWKS_MAX_RETRY_AFTER_MS = 1_000;

/** JWKS responses larger than this are refused (1 MB). */
const MAX_JWKS_LENGTH = 1024 * 1024;

interface JwksEntry {
  readonly url: string;
  /** Memoized local key set of the last successful fetch. */
  keys: JWTVerifyGetKey | undefined;
  kids: string[];
  fetchedAt: number;
  pending: Promise<void> | undefined;
  failure: { at: number; error: JwksUnavailableError } | undefined;
  /** Stable resolver handed to jose for this URL. */
  readonly resolver: JWTVerifyGetKey;
}

export class JwksCache {
  private readonly entries = new Map<string, JwksEntry>();
  private readonly fetchImpl: JwksFetch;
  private readonly timeoutMs: number;
  private readonly cooldownMs: number;
  private readonly maxAgeMs: number;
  private readonly failureBackoffMs: number;
  private readonly clock: () => number;
  /** Number of JWKS fetches started, for diagnostics and tests. */
  fetchCount = 0;

  constructor(options: JwksCacheOptions = {}) {
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.maxAgeMs = options.maxAgeMs ?? 600_000;
    this.failureBackoffMs = options.failureBackoffMs ?? 2_000;
    this.clock = options.now ?? Date.now;
  }

  /** Verifies a token against the JWKS of `options.issuer`. Never throws. */
  async verify(token: string | DecodedToken, options: VerifyOptions): Promise<VerifyResult> {
    let entry: JwksEntry;
    try {
      entry = this.entryFor(jwksUrlFor(options.issuer));
    } catch (error) {
      return { verdict: 'jwks-unavailable', message: error instanceof Error ? error.message : String(error) };
    }
    return verifyWith(token, entry.resolver, options, { description: `the JWKS at ${entry.url}`, kids: () => entry.kids });
  }

  /** The key resolver for an issuer's JWKS (fetching on first use), for callers that run jose themselves. */
  keySetFor(issuer: string): JWTVerifyGetKey {
    return this.entryFor(jwksUrlFor(issuer)).resolver;
  }

  /** Fetches an issuer's JWKS now, ignoring the cache. Rejects with JwksUnavailableError. */
  async reload(issuer: string): Promise<void> {
    const entry = this.entryFor(jwksUrlFor(issuer));
    entry.failure = undefined;
    await this.load(entry);
  }

  /** Forgets one issuer's keys, or all. */
  clear(issuer?: string): void {
    if (issuer === undefined) this.entries.clear();
    else this.entries.delete(jwksUrlFor(issuer));
  }

  private entryFor(url: string): JwksEntry {
    let entry = this.entries.get(url);
    if (entry !== undefined) return entry;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new JwksUnavailableError(url, 'the issuer is not a URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new JwksUnavailableError(url, 'only http and https URLs are supported');
    }
    const created: JwksEntry = {
      url,
      keys: undefined,
      kids: [],
      fetchedAt: -Infinity,
      pending: undefined,
      failure: undefined,
      resolver: (header, token) => this.resolve(created, header, token),
    };
    entry = created;
    this.entries.set(url, entry);
    return entry;
  }

  private async resolve(entry: JwksEntry, ...args: Parameters<JWTVerifyGetKey>): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> {
    if (entry.keys === undefined || this.clock() - entry.fetchedAt >= this.maxAgeMs) {
      await this.load(entry);
    }
    try {
      return await entry.keys!(...args);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey && this.clock() - entry.fetchedAt >= this.cooldownMs) {
        await this.load(entry);
        return entry.keys!(...args);
      }
      throw error;
    }
  }

  private load(entry: JwksEntry): Promise<void> {
    if (entry.failure !== undefined && this.clock() - entry.failure.at < this.failureBackoffMs) {
      return Promise.reject(entry.failure.error);
    }
    entry.pending ??= this.fetchKeys(entry.url).then(
      (jwks) => {
        entry.keys = memoizeKeyResolver(createLocalJWKSet(jwks));
        entry.kids = kidsOf(jwks);
        entry.fetchedAt = this.clock();
        entry.failure = undefined;
        entry.pending = undefined;
      },
      (error: unknown) => {
        const unavailable =
          error instanceof JwksUnavailableError
            ? error
            : new JwksUnavailableError(entry.url, describeFetchError(error, this.timeoutMs), { cause: error });
        entry.failure = { at: this.clock(), error: unavailable };
        entry.pending = undefined;
        throw unavailable;
      },
    );
    return entry.pending;
  }

  /** One GET, and one more after a network error (not a timeout) or a 429/502/503/504 (see JWKS_ATTEMPTS). */
  private async fetchRetryingOnce(url: string): Promise<JwksHttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= JWKS_ATTEMPTS;
      let waitMs: number = DEFAULT_RETRY_POLICY.baseDelayMs;
      try {
        const response = await this.fetchImpl(url, {
          method: 'GET',
          headers: { accept: 'application/jwk-set+json, application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        const retryAfter = retryAfterMs(response.headers?.get('retry-after') ?? null);
        if (last || !RETRYABLE_STATUSES.includes(response.status) || (retryAfter ?? 0) > JWKS_MAX_RETRY_AFTER_MS) {
          return response;
        }
        await response.text().catch(() => '');
        waitMs = retryAfter ?? waitMs;
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        if (last || timedOut) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private async fetchKeys(url: string): Promise<JSONWebKeySet> {
    this.fetchCount++;
    const response = await this.fetchRetryingOnce(url);
    if (response.status !== 200) {
      throw new JwksUnavailableError(url, `it answered HTTP ${response.status} instead of 200`);
    }
    const body = await response.text();
    if (body.length > MAX_JWKS_LENGTH) throw new JwksUnavailableError(url, 'the answer is larger than 1 MB');
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new JwksUnavailableError(url, 'the answer is not JSON');
    }
    try {
      createLocalJWKSet(json as JSONWebKeySet); // validates the shape
    } catch {
      throw new JwksUnavailableError(url, 'the answer is not a JSON Web Key Set');
    }
    return json as JSONWebKeySet;
  }
}

/** `Retry-After` in delta-seconds, as milliseconds; undefined when absent or not a number of seconds. */
function retryAfterMs(value: string | null): number | undefined {
  return value !== null && /^\s*\d+\s*$/.test(value) ? Number(value) * 1000 : undefined;
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${formatDuration(timeoutMs / 1000)}`;
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    if (code === 'ECONNREFUSED') return 'the connection was refused (is the server running?)';
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was closed before an answer';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
    if (code !== undefined) return `network error ${code}`;
    return clip(error.message);
  }
  return 'network error';
}

// ---------------------------------------------------------------------------------------------------

function stripTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

function nowSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000);
}

/** Shortens text quoted from a token or an error so a message stays one readable sentence. */
function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
