import { errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey, type ProtectedHeaderParameters } from 'jose';
import { compactTokenFrom, decodeToken, type DecodedToken } from './decode';
import { formatDuration, isoFromSeconds } from './times';
import { JWKS_PATH, SSO_TOKEN_CONTAINER_TYP, withoutTrailingSlashes } from '../slashid/contract';

/**
 * The verdicts of verifying a token: its signature against a JSON Web Key Set, its issuer, optionally its
 * audience and organization, and its times. All crypto and claim checks are jose's; this module turns
 * jose's errors into one verdict per cause, each with one sentence for the user.
 *
 * `verifyWithKeySet(token, keySet, options)` takes a key set the caller has, e.g. `createLocalJWKSet(jwks)`
 * (the fast path the benchmark compares with bare `jwtVerify`); `JwksCache` (verify.ts) fetches and caches
 * an issuer's key set and verifies with the same `verifyWith`.
 *
 * Browser-safe: jose only (no Node or VS Code imports).
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
  | 'jwks-unavailable'
  /** Signed by the org's key, but an SSO token container (its own `typ`), not an access token. */
  | 'sso-container';

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
  /**
   * With `valid`: the organization the token belongs to (its `oid`) when that is not the organization it
   * was checked against (`VerifyOptions.orgId`); the message says so.
   */
  readonly otherOrg?: string;
}

export interface VerifyOptions {
  /** The expected issuer: the organization's API base URL (a trailing slash is ignored). */
  issuer: string;
  /** The expected audience(s); not checked when absent. */
  audience?: string | string[];
  /**
   * The organization(s) the token is checked against: a valid token whose `oid` names another one is
   * still `valid` (the same issuer signs every org's tokens) but carries `otherOrg` and says so.
   */
  orgId?: string | readonly string[];
  /** The current time (a Date or epoch milliseconds). Default: the clock. */
  now?: Date | number;
  /** Clock skew allowed for `exp` and `nbf`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

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

/** The JWKS URL of an issuer (the API base URL): `${issuer}/.well-known/jwks.json`. */
export function jwksUrlFor(issuer: string): string {
  return `${withoutTrailingSlashes(issuer)}${JWKS_PATH}`;
}

// ---------------------------------------------------------------------------------------------------
// Verifying with a key set

export interface KeySource {
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

/** Verifies with a resolver (a memoized key set, or the JWKS cache's). Never throws. */
export async function verifyWith(
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
  const issuer = withoutTrailingSlashes(options.issuer);
  const now = options.now === undefined ? undefined : new Date(options.now);
  try {
    const { payload, protectedHeader } = await jwtVerify(compact, resolver, {
      issuer,
      audience: options.audience,
      currentDate: now,
      clockTolerance: options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    });
    return validResult(payload, protectedHeader, options, source);
  } catch (error) {
    if (decoded === undefined) {
      const result = decodeToken(compact);
      if (!result.ok) return { verdict: 'malformed', message: result.message };
      decoded = result;
    }
    return classify(error, decoded, options, issuer, source);
  }
}

/** `valid`, unless the token is an SSO token container; with `otherOrg` when it belongs to another organization. */
function validResult(payload: JWTPayload, header: ProtectedHeaderParameters, options: VerifyOptions, source: KeySource): VerifyResult {
  const kid = typeof header.kid === 'string' ? header.kid : undefined;
  const facts = { payload, header, ...(kid === undefined ? {} : { kid }) };
  const signedBy = `${kid === undefined ? 'a key' : `key "${clip(kid)}"`} from ${source.description}`;
  if (header.typ === SSO_TOKEN_CONTAINER_TYP) {
    return {
      verdict: 'sso-container',
      message: `This is an SSO token container (typ "${SSO_TOKEN_CONTAINER_TYP}"), not an access token: its signature is valid (${signedBy}), but it only serves as the SlashID-Token header that fetches the SSO login's OIDC tokens.`,
      ...facts,
    };
  }
  const expected = options.orgId === undefined ? [] : ([] as string[]).concat(options.orgId);
  const oid = payload.oid;
  if (expected.length > 0 && typeof oid === 'string' && !expected.includes(oid)) {
    const against = expected.map((o) => `"${clip(o)}"`).join(' or ');
    return {
      verdict: 'valid',
      message: `The signature is valid (${signedBy}) and the token is within its validity period, but it belongs to another organization: its "oid" is "${clip(oid)}", not ${against}.`,
      ...facts,
      otherOrg: oid,
    };
  }
  return {
    verdict: 'valid',
    message: `The signature is valid (${signedBy}), the issuer matches and the token is within its validity period.`,
    ...facts,
  };
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

export function kidsOf(set: JSONWebKeySet): string[] {
  return set.keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string');
}

/** The current time in epoch seconds. */
function nowSeconds(now: Date | number | undefined): number {
  const ms = now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
  return Math.floor(ms / 1000);
}

/** Shortens text quoted from a token or an error so a message stays one readable sentence. */
export function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
