import { randomBytes, randomUUID } from 'node:crypto';
import { AUTHORIZATION_CODE_LIFETIME, MAX_AUTHORIZATION_CODES, MAX_AUTHORIZATION_CODES_PER_CLIENT } from '../../src/slashid/contract';
import { redirectUriProblem } from '../../src/slashid/redirectUri';
import { halfHash, opaqueTokenKey, signIdToken } from '../grantTokens';
import type { Reply } from '../http';
import { scopeList } from '../oauthForm';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { errorPage, signInPage } from '../signInPage';
import type { ClientRecord, PersonRecord } from '../state';

/** Seconds an authorization code can be exchanged. */
export const CODE_LIFETIME = AUTHORIZATION_CODE_LIFETIME;
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * True when `given` is one of the client's redirect URIs: an exact match, or (RFC 8252 §7.3) a
 * loopback `http://127.0.0.1` or `http://[::1]` URI that matches a registered one on any port.
 */
export function redirectUriMatches(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  const target = parseUrl(given);
  if (!target || target.protocol !== 'http:' || !isLoopbackIp(target.hostname) || target.hash || target.username || target.password)
    return false;
  return registered.some((r) => {
    const candidate = parseUrl(r);
    return (
      candidate !== undefined &&
      candidate.protocol === 'http:' &&
      candidate.hostname === target.hostname &&
      candidate.pathname === target.pathname &&
      candidate.search === target.search &&
      !candidate.username &&
      !candidate.password
    );
  });
}

function isLoopbackIp(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]';
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** An authorization error sent back to the client (RFC 6749 §4.1.2.1), with `state` and `iss` (RFC 9207). */
class RedirectError extends Error {
  constructor(
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

type ResponseMode = 'query' | 'fragment';

/**
 * How the answer travels: `code` in the query unless `response_mode=fragment` asks for the fragment,
 * `code id_token` (hybrid) always in the fragment (OIDC Core §3.3.2.5: tokens never go in the query).
 * Errors travel the same way as the answer would.
 */
function responseModeOf(q: URLSearchParams): ResponseMode {
  return q.get('response_mode') === 'fragment' || isHybrid(q.get('response_type')) ? 'fragment' : 'query';
}

/** `code id_token` in either order. */
function isHybrid(responseType: string | null): boolean {
  const parts = scopeList(responseType ?? undefined).sort();
  return parts.length === 2 && parts[0] === 'code' && parts[1] === 'id_token';
}

function redirectTo(redirectUri: string, params: Record<string, string | undefined>, mode: ResponseMode = 'query'): Reply {
  const url = new URL(redirectUri);
  const fragment = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (mode === 'query') url.searchParams.set(name, value);
    else fragment.set(name, value);
  }
  if (mode === 'fragment') url.hash = fragment.toString();
  return { status: 302, headers: { Location: url.toString(), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } };
}

/**
 * The client and redirect URI of an authorization request, or the error page to show (never a
 * redirect: a bad client or redirect URI cannot be trusted with one).
 */
function trustedTarget(ctx: RouteContext): { client: ClientRecord; redirectUri: string } | { page: Reply } {
  const q = ctx.url.searchParams;
  for (const name of ['client_id', 'redirect_uri']) {
    if (q.getAll(name).length > 1) return { page: errorPage(`The parameter ${name} is given more than once.`) };
  }
  const clientId = q.get('client_id');
  if (!clientId) return { page: errorPage('client_id is required.') };
  const client = ctx.state.clients.get(clientId);
  if (!client) return { page: errorPage('client_id names no OAuth2 client of this SlashID instance.') };
  const redirectUri = q.get('redirect_uri');
  if (!redirectUri) return { page: errorPage('redirect_uri is required.') };
  // Checked before the match too: a client registered before this check (a state file) may hold one.
  const problem = redirectUriProblem(redirectUri);
  if (problem !== undefined) return { page: errorPage(`redirect_uri ${problem}.`) };
  if (!redirectUriMatches(client.redirect_uris, redirectUri)) {
    return { page: errorPage('redirect_uri is not one of the redirect URIs registered for this client.') };
  }
  return { client, redirectUri };
}

function personByHint(ctx: RouteContext, client: ClientRecord, hint: string): PersonRecord | undefined {
  const isCandidate = (p: PersonRecord | undefined): p is PersonRecord => p !== undefined && p.org_id === client.org_id && p.active;
  const byId = ctx.state.persons.get(hint);
  if (isCandidate(byId)) return byId;
  const colon = hint.indexOf(':');
  if (colon < 0) return undefined;
  const type = hint.slice(0, colon);
  const value = hint.slice(colon + 1);
  for (const person of ctx.state.persons.values()) {
    if (!isCandidate(person)) continue;
    const same = (v: string) => (type === 'email_address' ? v.toLowerCase() === value.toLowerCase() : v === value);
    if (person.handles.some((h) => h.type === type && same(h.value))) return person;
  }
  return undefined;
}

/**
 * GET /oauth2/authorize — the authorization-code flow's first leg. A bad `client_id` or `redirect_uri`
 * is an error page; every other problem redirects with `error`, `error_description`, `state` and
 * `iss`. A `login_hint` naming an active person of the client's org (person ID, or a handle such as
 * `email_address:alice@example.com`) signs that person in at once; otherwise the sign-in page lists
 * the org's persons (`prompt=none` then fails with `login_required`).
 */
async function authorize(ctx: RouteContext): Promise<Reply> {
  const target = trustedTarget(ctx);
  if ('page' in target) return target.page;
  const { client, redirectUri } = target;
  const q = ctx.url.searchParams;
  const state = q.get('state') ?? undefined;
  try {
    return await authorizeChecked(ctx, client, redirectUri);
  } catch (err) {
    if (err instanceof RedirectError) {
      return redirectTo(redirectUri, { error: err.error, error_description: err.message, state, iss: ctx.issuer }, responseModeOf(q));
    }
    throw err;
  }
}

async function authorizeChecked(ctx: RouteContext, client: ClientRecord, redirectUri: string): Promise<Reply> {
  const q = ctx.url.searchParams;
  const names = [...new Set([...q.keys()])];
  const repeated = names.find((name) => q.getAll(name).length > 1);
  if (repeated) throw new RedirectError('invalid_request', `The parameter ${repeated.slice(0, 64)} is given more than once.`);
  if (q.has('request')) throw new RedirectError('request_not_supported', 'Request objects (the request parameter) are not supported.');
  if (q.has('request_uri')) throw new RedirectError('request_uri_not_supported', 'The request_uri parameter is not supported.');
  const responseType = q.get('response_type');
  if (!responseType) throw new RedirectError('invalid_request', 'response_type is required.');
  const hybrid = isHybrid(responseType);
  const mode = responseModeOf(q);
  const responseMode = q.get('response_mode');
  if (responseMode !== null && responseMode !== 'query' && responseMode !== 'fragment') {
    throw new RedirectError(
      'invalid_request',
      `response_mode must be query or fragment, not ${JSON.stringify(responseMode.slice(0, 32))}.`,
    );
  }
  if (responseMode !== null && responseMode !== mode) {
    throw new RedirectError(
      'invalid_request',
      `response_type=${responseType.slice(0, 32)} is answered in the fragment: tokens never travel in the query.`,
    );
  }
  if (!client.grant_types.includes('authorization_code')) {
    throw new RedirectError('unauthorized_client', 'This client is not allowed to use the authorization_code grant.');
  }
  if (responseType !== 'code' && !hybrid) {
    throw new RedirectError('unsupported_response_type', 'Only response_type=code and response_type=code id_token are supported.');
  }
  const wanted = scopeList(responseType).sort().join(' ');
  if (!client.response_types.some((set) => [...set].sort().join(' ') === wanted)) {
    throw new RedirectError(
      'unauthorized_client',
      `This client may not use response_type=${responseType.slice(0, 32)} (see its response_types).`,
    );
  }
  const scopeParam = q.get('scope');
  if (scopeParam === null || scopeList(scopeParam).length === 0) throw new RedirectError('invalid_request', 'scope is required.');
  const scopes = scopeList(scopeParam);
  if (hybrid && !scopes.includes('openid'))
    throw new RedirectError('invalid_request', 'response_type=code id_token needs the openid scope.');
  if (hybrid && !q.get('nonce')) throw new RedirectError('invalid_request', 'response_type=code id_token needs a nonce.');
  const notAllowed = scopes.filter((s) => !client.scopes.includes(s));
  if (notAllowed.length > 0) {
    throw new RedirectError('invalid_scope', `The client may not request: ${notAllowed.map((s) => s.slice(0, 64)).join(', ')}.`);
  }
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? undefined;
  if (challenge === undefined && method !== undefined) {
    throw new RedirectError('invalid_request', 'code_challenge_method was sent without a code_challenge.');
  }
  if (challenge !== undefined) {
    if (method !== 'S256') {
      throw new RedirectError('invalid_request', 'code_challenge_method must be S256 (plain is not allowed).');
    }
    if (!S256_CHALLENGE.test(challenge)) {
      throw new RedirectError('invalid_request', 'code_challenge must be the 43-character base64url SHA-256 of the code verifier.');
    }
  } else if (client.public) {
    throw new RedirectError('invalid_request', 'A public client must use PKCE: send code_challenge with code_challenge_method=S256.');
  }
  const prompts = scopeList(q.get('prompt') ?? undefined);
  const unknownPrompt = prompts.find((p) => !PROMPTS.has(p));
  if (unknownPrompt !== undefined)
    throw new RedirectError('invalid_request', `prompt ${JSON.stringify(unknownPrompt.slice(0, 32))} is not supported.`);
  if (prompts.includes('none') && prompts.length > 1)
    throw new RedirectError('invalid_request', 'prompt=none cannot be combined with other values.');
  const maxAge = q.get('max_age');
  if (maxAge !== null && !/^\d{1,9}$/.test(maxAge)) throw new RedirectError('invalid_request', 'max_age must be a number of seconds.');

  const hint = q.get('login_hint') ?? undefined;
  const person = hint !== undefined ? personByHint(ctx, client, hint) : undefined;
  if (prompts.includes('select_account')) {
    return signIn(ctx, client, redirectUri, false);
  }
  if (!person) {
    if (prompts.includes('none')) {
      throw new RedirectError('login_required', 'No one is signed in: prompt=none needs a login_hint naming a person of the organization.');
    }
    return signIn(ctx, client, redirectUri, hint !== undefined);
  }

  const now = Math.floor(Date.now() / 1000);
  // Codes are kept one lifetime past their expiry (a late reuse is still caught). The map holds them in
  // the order they were made, so the expired ones come first: the sweep stops at the first live one.
  // (Should the wall clock step back, sweeping pauses until that code expires: bounded, memory only.)
  for (const [key, old] of ctx.state.codes) {
    if (old.exp >= now - CODE_LIFETIME) break;
    ctx.state.codes.delete(key);
  }
  dropOldestCodes(ctx, client.client_id);
  const code = randomBytes(32).toString('base64url');
  const nonce = q.get('nonce') ?? undefined;
  const grantId = randomUUID();
  const state = q.get('state') ?? undefined;
  ctx.state.codes.set(opaqueTokenKey(code), {
    client_id: client.client_id,
    org_id: client.org_id,
    person_id: person.person_id,
    redirect_uri: redirectUri,
    scope: scopes.join(' '),
    ...(nonce !== undefined ? { nonce } : {}),
    ...(challenge !== undefined ? { code_challenge: challenge } : {}),
    auth_time: now,
    exp: now + CODE_LIFETIME,
    grant_id: grantId,
    used: false,
  });
  let idToken: string | undefined;
  if (hybrid) {
    const signed = await signIdToken({
      state: ctx.state,
      issuer: ctx.issuer,
      client,
      person,
      authTime: now,
      record: {
        client_id: client.client_id,
        org_id: client.org_id,
        person_id: person.person_id,
        scope: scopes.join(' '),
        grant_id: grantId,
      },
      ...(nonce !== undefined ? { nonce } : {}),
      hashes: { c_hash: halfHash(code), ...(state !== undefined ? { s_hash: halfHash(state) } : {}) },
    });
    // Not recorded (contract.ts MAX_AUTHORIZATION_CODES_PER_CLIENT): no route accepts an ID token back,
    // and a record kept for its lifetime let keyless requests grow the state without bound.
    idToken = signed.token;
  }
  return redirectTo(redirectUri, { code, id_token: idToken, state, iss: ctx.issuer }, mode);
}

function signIn(ctx: RouteContext, client: ClientRecord, redirectUri: string, hintGiven: boolean): Reply {
  const q = ctx.url.searchParams;
  const persons = [...ctx.state.persons.values()].filter((p) => p.org_id === client.org_id && p.active);
  const base = new URLSearchParams(q);
  base.delete('prompt');
  base.delete('login_hint');
  const handleTypesParam = q.get('handle_types');
  const configured = client.ui_configuration?.handleTypes;
  const handleTypes =
    handleTypesParam !== null
      ? handleTypesParam.split(/[\s,]+/).filter((t) => t.length > 0)
      : Array.isArray(configured)
        ? configured.filter((t): t is string => typeof t === 'string')
        : undefined;
  return signInPage({
    client,
    persons,
    handleTypes,
    signInUrl: (personId) => {
      const params = new URLSearchParams(base);
      params.set('login_hint', personId);
      // Relative, as a browser resolves it against the page: it then also works through a forwarding
      // path such as code-server's /proxy/<port>/.
      return `authorize?${params.toString()}`;
    },
    cancelUrl: redirectTo(
      redirectUri,
      {
        error: 'access_denied',
        error_description: 'The person cancelled the sign-in.',
        state: q.get('state') ?? undefined,
        iss: ctx.issuer,
      },
      responseModeOf(q),
    ).headers!.Location,
    ...(hintGiven ? { notice: 'No active person of this organization matches the login_hint; choose one below.' } : {}),
  });
}

/**
 * An injected status fault on the authorization endpoint answers as the endpoint would: a redirect
 * with `server_error` (or `temporarily_unavailable` for 503) when the client and redirect URI are
 * good, the error page otherwise.
 */
function faultReply(ctx: RouteContext, status: number): Reply {
  const target = trustedTarget(ctx);
  if ('page' in target) return target.page;
  return redirectTo(
    target.redirectUri,
    {
      error: status === 503 ? 'temporarily_unavailable' : 'server_error',
      error_description: `Injected fault: ${status}.`,
      state: ctx.url.searchParams.get('state') ?? undefined,
      iss: ctx.issuer,
    },
    responseModeOf(ctx.url.searchParams),
  );
}

export const authorizeRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/oauth2/authorize', handler: authorize, faultReply, browser: true },
];

/**
 * Makes room for one more code (contract.ts `MAX_AUTHORIZATION_CODES_PER_CLIENT`, `MAX_AUTHORIZATION_CODES`):
 * drops the oldest codes of this client, then the oldest of all, until both counts are under their caps.
 * The map keeps codes in the order they were made, so the first found are the oldest.
 */
function dropOldestCodes(ctx: RouteContext, clientId: string): void {
  const codes = ctx.state.codes;
  if (codes.size >= MAX_AUTHORIZATION_CODES_PER_CLIENT) {
    let ofClient = 0;
    for (const record of codes.values()) if (record.client_id === clientId) ofClient++;
    for (const [key, record] of codes) {
      if (ofClient < MAX_AUTHORIZATION_CODES_PER_CLIENT) break;
      if (record.client_id !== clientId) continue;
      codes.delete(key);
      ofClient--;
    }
  }
  for (const key of codes.keys()) {
    if (codes.size < MAX_AUTHORIZATION_CODES) break;
    codes.delete(key);
  }
}
