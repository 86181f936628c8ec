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

// ---------------------------------------------------------------------------------------------------
// Emulator: requests it accepts (issue 10)

/**
 * CHOICE: the emulator answers only requests whose `Host` names the loopback address and port it
 * listens on (`127.0.0.1:P`, `localhost:P`, `[::1]:P`; else 421, or 400 without `Host`), refuses any
 * request carrying an `Origin` other than exactly its own (`http://` + that Host; else 403; programs
 * send none), and takes JSON bodies only as `application/json` (else 415). Its request log keeps the
 * last {@link EMULATOR_REQUEST_LOG_SIZE} requests to known routes.
 */
export const EMULATOR_REQUEST_LOG_SIZE = 1000;
/**
 * CHOICE: the emulator's test-only routes that hand out or change what no local account may (the demo
 * org's credentials at `GET /__emulator/demo`, faults, the request log) need its control key in
 * {@link EMULATOR_CONTROL_KEY_HEADER} (401 otherwise); the emulator inside VS Code does not serve them at
 * all (404), nor the SSO-login route. The providers' public JWKS stay open.
 */
export const EMULATOR_CONTROL_KEY_HEADER = 'SlashID-Emulator-Key';
/** CHOICE: an emulated SSO login's token container lives at most one day (either way: negative = already expired). */
export const EMULATOR_MAX_SSO_CONTAINER_LIFETIME = 86_400;

// ---------------------------------------------------------------------------------------------------
// Authorization-code flow and the other OAuth2 operations (issue 12)

/**
 * CHOICE: a redirect URI must equal a registered one exactly, except that a loopback IP literal
 * `http://127.0.0.1` or `http://[::1]` URI matches a registered one with the same path and query on
 * any port (RFC 8252 §7.3). `localhost` gets no port leeway (RFC 8252 §8.3 advises against it).
 */
export const LOOPBACK_REDIRECT_ANY_PORT = true;
/**
 * CHOICE: a redirect URI is any absolute URI the spec's `format: uri` admits (an RFC 3986 scheme, a colon,
 * the rest) without a fragment: https, http (loopback or not), and a native app's private-use scheme such
 * as `com.example.mobile:/oauth/callback` (RFC 8252 §7.1). Never one of these schemes, which make the
 * browser run or show something itself instead of handing the answer to an app (an authorization code
 * in a `javascript:` URL runs as script in the sign-in page's origin). Checked on the raw text (no
 * whitespace, control or invisible format characters: URL parsers drop tabs and newlines, so
 * `java\tscript:` would parse as `javascript:`) and on the parsed scheme, case-insensitively, at
 * registration (create, update, seed) and at authorization, by the emulator and the client alike: one
 * definition, `redirectUriProblem` in `src/slashid/redirectUri.ts`.
 */
export const FORBIDDEN_REDIRECT_SCHEMES = ['javascript:', 'data:', 'vbscript:', 'file:', 'blob:'] as const;
/**
 * CHOICE: PKCE uses S256 only (`plain`, and a `code_challenge` without a method, which RFC 7636
 * treats as plain, are refused with `invalid_request`); public clients must send a challenge;
 * confidential clients may omit it. The spec's `PostOAuth2TokenRequestAuthorizationCode` names
 * `code_challenge` where RFC 7636 sends `code_verifier`: the token endpoint takes `code_verifier`,
 * and answers `invalid_request` naming it when only `code_challenge` is sent.
 */
export const PKCE_METHODS = ['S256'] as const;
/**
 * CHOICE: an authorization code is single-use and lives this many seconds; a reused code revokes every
 * token of its grant. Codes are kept in memory only (not in the `--state` file).
 */
export const AUTHORIZATION_CODE_LIFETIME = 60;
/**
 * CHOICE (emulator): what a request without any key can make the emulator keep is bounded. `GET
 * /oauth2/authorize` with a `login_hint` needs no key and makes a code: at most this many codes are kept
 * per client, and {@link MAX_AUTHORIZATION_CODES} in all (used ones included, kept a lifetime past expiry
 * to catch a late reuse); beyond either, the oldest are dropped (their exchange then fails with
 * `invalid_grant`) rather than new sign-ins refused, so a flood cannot block the next real sign-in. The
 * hybrid response's ID token (`code id_token`, in the fragment) is signed but not recorded: the emulator
 * never accepts an ID token back (introspection calls it inactive either way).
 */
export const MAX_AUTHORIZATION_CODES_PER_CLIENT = 1_000;
/** CHOICE (emulator): see {@link MAX_AUTHORIZATION_CODES_PER_CLIENT}. */
export const MAX_AUTHORIZATION_CODES = 10_000;
/**
 * CHOICE (emulator): a public client exchanges codes and refresh tokens without a secret, so a local
 * process can make tokens for it without any key: the emulator keeps at most this many token records
 * (access, ID and refresh tokens of its grants) per public client, the oldest dropped first (a dropped
 * token then introspects as inactive and cannot be refreshed).
 */
export const MAX_TOKENS_PER_PUBLIC_CLIENT = 3_000;
/**
 * CHOICE: refresh tokens rotate: every refresh answers a new refresh token with the grant's original
 * scope and retires the one used; using a retired one fails (`invalid_grant`) and revokes every token
 * of the grant (RFC 9700 §4.14.2). `scope` on a refresh may narrow the new access token, never widen it.
 * Any client that holds a refresh token (minted ones included) may use the refresh grant; SlashID
 * clients cannot list `refresh_token` among their grant types.
 */
export const REFRESH_TOKENS_ROTATE = true;
/**
 * CHOICE: the OAuth 2.0 endpoints (`POST /oauth2/tokens`, `/introspect`, `/revoke`, `/revoke-all`)
 * answer errors as RFC 6749 §5.2 bodies, `{"error": "invalid_grant", "error_description": "…"}`,
 * with 401 and `WWW-Authenticate: Basic` for `invalid_client` when the client authenticated with
 * Basic; the authorization endpoint redirects them (§4.1.2.1). The spec points these operations'
 * 400 at its `BadRequest` response (the API error envelope), but every OAuth client, openid-client
 * included, reads only the RFC form. Every other route, userinfo included, answers the envelope.
 */
export const OAUTH_ENDPOINT_ERRORS = 'rfc6749' as const;
/**
 * CHOICE: authorization-code access tokens are JWTs with the claims of minted ones plus `scope` and
 * `client_id`; their `authenticated_methods` (and the ID token's) is this value, naming the
 * emulator's sign-in. ID tokens carry `iss`, `sub` (= person ID), `aud` and `azp` (= client ID),
 * `exp`, `iat`, `auth_time`, `at_hash`, `nonce` (code exchange only, when the request had one),
 * `jti`, `oid`, `person_id`; they last as long as the access token.
 */
export const EMULATOR_SIGN_IN_METHODS = ['emulator'] as const;
/**
 * CHOICE: the authorization response carries `iss` (RFC 9207) and discovery says
 * `authorization_response_iss_parameter_supported: true`. `response_type=code` (answered in the query)
 * and, for clients whose `response_types` list it (those with `openid`), the hybrid `code id_token`
 * (answered in the fragment; `nonce` and `openid` required; its ID token has `c_hash` and, with a
 * `state`, `s_hash`) are served; errors travel the way the answer would. `prompt` may be none, login,
 * consent or select_account (the spec lists none and login). The emulator keeps no browser session, so
 * every authorization is a fresh sign-in: `login` is met by it, and `consent` too (there is no consent
 * screen: the client gets the scopes it asked for, among those it may request). `select_account` shows
 * the sign-in page even with a `login_hint`; otherwise a `login_hint` naming a person signs in at once,
 * and `prompt=none` without a usable one answers `login_required`.
 */
export const AUTHORIZATION_RESPONSE_ISS = true;
/**
 * CHOICE: revocation (RFC 7009) answers 200 with no body whether or not the token was known or
 * belonged to the caller (a token of another client is left alone); revoking a refresh token or an
 * unused code revokes its whole grant; public clients revoke with `client_id` alone.
 * `revoke-all` needs a confidential client and revokes the tokens (and unused codes) that client holds
 * for the person, issued at or before `until` (an RFC 3339 date-time; default now). A future `until`
 * acts on the tokens that exist, or are being issued, when the call is made: tokens issued after it
 * stay valid (the spec describes a revocation, not a standing ban).
 */
export const REVOKE_ALL_SCOPE = 'authenticating-client' as const;
/** An RFC 3339 §5.6 date-time as `revoke-all`'s `until` takes it, e.g. `2026-11-29T01:00:00Z` or with an offset. */
export const RFC3339_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
/**
 * CHOICE: introspection is for confidential clients of the token's org; ID tokens, authorization
 * codes, SSO token containers and retired refresh tokens are never active; a `scope` parameter makes
 * the answer inactive unless the token was granted every scope in it (as the spec's description says).
 */
export const INTROSPECTION_HONOURS_SCOPE = true;
/**
 * CHOICE: userinfo answers 401 with `WWW-Authenticate: Bearer …` (RFC 6750 §3) in the error
 * envelope without a valid JWT access token of a person, and also 401 (with
 * `error="insufficient_scope", scope="openid"` in the challenge) when the token was not granted
 * `openid`: the spec lists only 401 for this operation, so its answer wins over RFC 6750 §3.1's 403.
 * `email` / `phone_number` (with `_verified: true`) and `username` come with the `email` / `phone` /
 * `username` scopes, as the spec's `UserinfoOAuth2Response` says.
 */
export const USERINFO_MISSING_SCOPE_STATUS = 401;
/**
 * CHOICE: `PUT /oauth2/clients/{id}/ui-configuration` replaces the whole configuration and answers 201
 * with it (the spec's status); the known fields are type-checked, unknown ones kept as given.
 */
export const UI_CONFIGURATION_PUT_STATUS = 201;
/**
 * CHOICE: `GET /persons?filter=` supports the SCIM 2.0 subset the spec's examples use: `eq` on
 * `person_id`, `handles` (`"type:value"`, email case-insensitive), `active` (true/false) and `roles`,
 * with `and`, `or` (and binds tighter) and parentheses; names and operators case-insensitive. Any
 * other attribute or operator, `not`, or a syntax error is a 400 naming the problem. `handle=type:value`
 * applies too (both = both). Clients must build such a filter, never send free text.
 */
export const PERSONS_FILTER_ATTRIBUTES = ['person_id', 'handles', 'active', 'roles'] as const;
/**
 * CHOICE: `POST /sso/oidc/tokens/query` needs an API key of the header org (member keys may read)
 * and answers an empty list for a person without logins; `POST /sso/oidc/tokens/revoke/v2` needs an
 * admin key, answers 204, and 404 when the org has no such login of that person.
 */
export const SSO_TOKEN_QUERY_NEEDS_API_KEY = true;
