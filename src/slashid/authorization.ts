import { createHash, randomBytes } from 'node:crypto';
import { withoutTrailingSlashes } from './contract';
import type { FieldProblem } from './errors';
import { redirectUriProblem } from './redirectUri';

/**
 * The start of the authorization-code flow: the URL of `GET /oauth2/authorize` with the spec's query
 * parameters, and PKCE (RFC 7636). CHOICE: every authorization request carries a PKCE challenge with
 * method `S256` (`plain` is never sent): public clients must use it, and it costs confidential clients
 * nothing. The spec's authorization-code token request names `code_challenge` where RFC 7636 sends
 * `code_verifier`; the client sends `code_verifier`. No `vscode` import.
 */

export const AUTHORIZE_PATH = '/oauth2/authorize';

export interface AuthorizationRequest {
  clientId: string;
  /** Exactly as registered on the client (a loopback URI may use any port). */
  redirectUri: string;
  /** At least one; `openid` for an ID token, `offline_access` for a refresh token. */
  scopes: readonly string[];
  /** Opaque value the redirect must bring back unchanged (CSRF protection); see {@link randomUrlSafe}. */
  state: string;
  /** `BASE64URL(SHA256(code_verifier))`; see {@link createPkce}. */
  codeChallenge: string;
  /** Default `code`. */
  responseType?: string;
  /** Bound into the ID token (`openid`). */
  nonce?: string;
  prompt?: 'none' | 'login';
  /** A person ID or a handle such as `email_address:alice@example.com`. */
  loginHint?: string;
  /** Seconds since the last authentication after which the person must sign in again. */
  maxAge?: number;
  uiLocales?: string;
  acrValues?: string;
  responseMode?: string;
  display?: 'page';
  /** The handle types the sign-in page offers (spec `handle_types`, space-separated). */
  handleTypes?: readonly string[];
}

/**
 * The authorization URL: `${baseUrl}/oauth2/authorize?…`. Returns the problems instead when the request
 * is invalid (nothing to open then).
 */
export function authorizationUrl(baseUrl: string, request: AuthorizationRequest): { url: string } | { problems: FieldProblem[] } {
  const problems = authorizationProblems(request);
  if (problems.length > 0) return { problems };
  const url = new URL(`${withoutTrailingSlashes(baseUrl)}${AUTHORIZE_PATH}`);
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined) url.searchParams.set(name, value);
  };
  set('response_type', request.responseType ?? 'code');
  set('client_id', request.clientId);
  set('redirect_uri', request.redirectUri);
  set('scope', request.scopes.join(' '));
  set('state', request.state);
  set('code_challenge', request.codeChallenge);
  set('code_challenge_method', 'S256');
  set('nonce', request.nonce);
  set('prompt', request.prompt);
  set('login_hint', request.loginHint);
  set('max_age', request.maxAge === undefined ? undefined : String(request.maxAge));
  set('ui_locales', request.uiLocales);
  set('acr_values', request.acrValues);
  set('response_mode', request.responseMode);
  set('display', request.display);
  set('handle_types', request.handleTypes === undefined ? undefined : request.handleTypes.join(' '));
  return { url: url.toString() };
}

function authorizationProblems(request: AuthorizationRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const text = (value: unknown, field: string) => {
    if (typeof value !== 'string' || value.trim().length === 0) problems.push({ field, message: 'is required' });
  };
  text(request.clientId, 'client_id');
  text(request.redirectUri, 'redirect_uri');
  if (typeof request.redirectUri === 'string' && request.redirectUri.trim()) {
    const problem = redirectUriProblem(request.redirectUri);
    if (problem !== undefined) problems.push({ field: 'redirect_uri', message: problem });
  }
  if (!Array.isArray(request.scopes) || request.scopes.length === 0) {
    problems.push({ field: 'scope', message: 'needs at least one scope' });
  } else {
    request.scopes.forEach((s, i) => {
      if (typeof s !== 'string' || !s || /\s/.test(s))
        problems.push({ field: `scope[${i}]`, message: 'must be a non-empty scope without spaces' });
    });
  }
  text(request.state, 'state');
  if (typeof request.codeChallenge !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(request.codeChallenge)) {
    problems.push({ field: 'code_challenge', message: 'must be the S256 challenge: 43 base64url characters (createPkce)' });
  }
  if (request.maxAge !== undefined && !(Number.isInteger(request.maxAge) && request.maxAge >= 0)) {
    problems.push({ field: 'max_age', message: 'must be a whole number of seconds' });
  }
  return problems;
}

/** A PKCE pair (RFC 7636): a 43-character verifier (32 random bytes) and its S256 challenge. */
export function createPkce(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomUrlSafe(32);
  return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier) };
}

/** `BASE64URL(SHA256(ASCII(code_verifier)))` (RFC 7636 §4.2). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

/** A random base64url string of `bytes` random bytes, for `state`, `nonce` and PKCE verifiers. */
export function randomUrlSafe(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
