/**
 * The SlashID API contract in one place: what the public spec states (URLs, headers, defaults), and the
 * choices we made where no public source confirms the behaviour (marked CHOICE). The emulator, the
 * client and the extension all follow this file; change a choice here and nowhere else.
 *
 * No `vscode` import: this file is part of the API core.
 */

/** Production API (spec `servers`). */
export const PRODUCTION_BASE_URL = 'https://api.slashid.com';
/** Sandbox API (spec `servers`). */
export const SANDBOX_BASE_URL = 'https://api.sandbox.slashid.com';

// ---------------------------------------------------------------------------------------------------
// Identifiers

/**
 * CHOICE: an organization ID is a lower-case UUID (8-4-4-4-12 hex), as in the spec's example
 * `af5fbd30-7ce7-4548-8b30-4cd59cb2aba1`. The spec types it as a plain string.
 */
export const ORG_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `value` is an organization ID in the format of {@link ORG_ID_PATTERN}. */
export function isOrgId(value: unknown): value is string {
  return typeof value === 'string' && ORG_ID_PATTERN.test(value);
}

// ---------------------------------------------------------------------------------------------------
// Client list

/**
 * CHOICE: `GET /oauth2/clients` is not paginated: it answers every client owned by the header org, and
 * never the clients of its sub-organizations (list those with the sub-org's ID in the header). A
 * `meta.pagination` block may be present and is ignored.
 */
export const CLIENT_LIST_IS_PAGINATED = false;
export const CLIENT_LIST_INCLUDES_SUB_ORGS = false;
/**
 * A parent organization's API key may READ a sub-organization (sent as `SlashID-OrgID`); writes to a
 * sub-organization need its own key (403 otherwise). Not confirmed by a public source.
 */
export const PARENT_KEY_READS_SUB_ORGS = true;

/** `GET /persons` accepts `limit` up to this (spec). */
export const PERSONS_MAX_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------------
// Tokens

/** CHOICE: the issuer (`iss`) of tokens is the API base URL without a trailing slash. */
export function issuerFor(baseUrl: string): string {
  return withoutTrailingSlashes(baseUrl);
}

/** A URL without its trailing slashes (base URLs, issuers): the one trailing-slash helper. */
export function withoutTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Spec-given paths of the key set and the OpenID discovery document, relative to the base URL. */
export const JWKS_PATH = '/.well-known/jwks.json';
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** CHOICE: client-credentials access tokens are opaque: this prefix + 43 base64url characters (32 random bytes). */
export const OPAQUE_ACCESS_TOKEN_PREFIX = 'sid_at_';
/** CHOICE: refresh tokens from mint are opaque: this prefix + 43 base64url characters. */
export const OPAQUE_REFRESH_TOKEN_PREFIX = 'sid_rt_';
/** Matches a whole opaque SlashID token of either kind. */
export const OPAQUE_TOKEN_PATTERN = /^sid_(?:at|rt)_[A-Za-z0-9_-]{43}$/;

/** Spec: access tokens last 24 hours unless the client says otherwise (seconds). */
export const DEFAULT_ACCESS_TOKEN_DURATION = 86_400;
/** Spec: refresh tokens last 10 days unless the client says otherwise (seconds). */
export const DEFAULT_REFRESH_TOKEN_DURATION = 864_000;

/** Spec: the only grant types a client may be created or updated with (anything else: 400). */
export const GRANT_TYPES = ['client_credentials', 'authorization_code'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

// ---------------------------------------------------------------------------------------------------
// Headers (spec)

export const ORG_ID_HEADER = 'SlashID-OrgID';
export const API_KEY_HEADER = 'SlashID-API-Key';
/** The token container issued after an SSO login (`GET /sso/oidc/tokens`). */
export const SLASHID_TOKEN_HEADER = 'SlashID-Token';
/** Optional on writes; the API answers 408 when the consistency is not reached in time. */
export const REQUIRED_CONSISTENCY_HEADER = 'SlashID-Required-Consistency';
export const REQUIRED_CONSISTENCY_VALUES = ['local_region', 'all_regions'] as const;
export type RequiredConsistency = (typeof REQUIRED_CONSISTENCY_VALUES)[number];

// ---------------------------------------------------------------------------------------------------
// Timeouts and retries (CHOICE: SlashID publishes no rate limits)

/** A request (headers and body) that takes longer than this fails with a TimeoutError. */
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * CHOICE, retry policy. Only reads (GET) are retried, never writes (POST/PATCH/PUT/DELETE): a write
 * whose answer was lost may have been applied, and replaying it could create a second client or
 * rotate a secret twice. A read is retried on:
 * - network errors (refused, reset, dropped connection) and timeouts: both are usually transient, and
 *   the attempts are bounded (so a read that times out every time fails after `attempts` × timeout);
 * - 429, 502, 503, 504. Not 500: a server error is usually a bug that a retry does not fix.
 * The delay is exponential (`baseDelayMs` × 2^(attempt-1), capped at `maxDelayMs`) with full jitter,
 * unless the server sends `Retry-After` (seconds or an HTTP date): then exactly that. A `Retry-After`
 * longer than `maxRetryAfterMs` is not waited for: the request fails at once saying when to retry.
 */
export const DEFAULT_RETRY_POLICY = Object.freeze({
  /** Total attempts, the first included. */
  attempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 30_000,
});
export const RETRYABLE_STATUSES: readonly number[] = Object.freeze([429, 502, 503, 504]);

/** Largest response body read (bytes); far above 5,000 clients (about 2.5 MB). */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/**
 * Largest key set and discovery document read (1 MB; SlashID's are about 1 KB). A token's hover fetches the
 * key set, so an endless or huge answer there must cost nothing: a `content-length` over it is refused
 * before reading, a streamed body is cut at it.
 */
export const MAX_JWKS_BYTES = 1024 * 1024;
export const MAX_DISCOVERY_BYTES = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// SSO token container

/**
 * CHOICE: the token container an SSO login issues (sent back as the `SlashID-Token` header) is a JWT
 * signed by the org's key like an access token, but with this `typ` in its protected header, so that
 * nothing (the extension's verifier included) takes it for an access token. Access tokens carry `JWT`
 * or no `typ`.
 */
export const SSO_TOKEN_CONTAINER_TYP = 'slashid-sso-container+jwt';
