import { createHash, randomUUID } from 'node:crypto';
import { AUTHORIZATION_CODE_LIFETIME, RFC3339_DATE_TIME } from '../../src/slashid/contract';
import { ACCESS_TOKEN_PREFIX, issueGrantTokens, jwtTokenKey, opaqueTokenKey } from '../grantTokens';
import { OAuthError, type Reply } from '../http';
import { authenticateClient, readForm, scopeList } from '../oauthForm';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { looksLikeJwt, opaqueToken } from '../signingKey';
import type { ClientRecord, TokenRecord } from '../state';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function short(value: string): string {
  return JSON.stringify(value.slice(0, 64));
}

/**
 * POST /oauth2/tokens — the client-credentials, authorization-code and refresh-token grants
 * (RFC 6749 §4.1.3, §4.4, §6; errors as §5.2). Public clients send only `client_id` and may use the
 * authorization-code and refresh grants only.
 */
async function issueToken(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const grantType = form.get('grant_type');
  const client = authenticateClient(ctx, form, grantType === 'authorization_code' || grantType === 'refresh_token');
  if (!grantType) {
    throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
  }
  switch (grantType) {
    case 'client_credentials':
      return clientCredentialsGrant(ctx, form, client);
    case 'authorization_code':
      return authorizationCodeGrant(ctx, form, client);
    case 'refresh_token':
      return refreshTokenGrant(ctx, form, client);
    default:
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        `This endpoint supports grant_type client_credentials, authorization_code and refresh_token, not ${short(grantType)}.`,
      );
  }
}

async function clientCredentialsGrant(ctx: RouteContext, form: Map<string, string>, client: ClientRecord): Promise<Reply> {
  if (!client.grant_types.includes('client_credentials')) {
    throw new OAuthError(400, 'unauthorized_client', 'This client is not allowed to use the client_credentials grant.');
  }
  const requested = form.get('scope');
  const scopes = requested === undefined ? client.scopes : scopeList(requested);
  const unknown = scopes.filter((s) => !client.scopes.includes(s));
  if (unknown.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `The client may not request: ${unknown.map((s) => s.slice(0, 64)).join(', ')}.`);
  }
  const iat = now();
  const accessToken = opaqueToken(ACCESS_TOKEN_PREFIX);
  const scope = scopes.join(' ');
  ctx.state.tokens.set(opaqueTokenKey(accessToken), {
    kind: 'access',
    client_id: client.client_id,
    org_id: client.org_id,
    scope,
    iat,
    exp: iat + client.access_token_duration,
  });
  client.last_used = new Date(iat * 1000).toISOString();
  await ctx.state.persist();
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: client.access_token_duration, scope, token_type: 'bearer' },
    headers: NO_STORE,
  };
}

/**
 * The authorization-code grant: the code is single-use, lives 60 seconds, and is bound to the client,
 * the redirect URI and (when the authorization request had one) the PKCE S256 challenge. A code used
 * a second time fails and revokes every token issued with it (RFC 6749 §4.1.2).
 */
async function authorizationCodeGrant(ctx: RouteContext, form: Map<string, string>, client: ClientRecord): Promise<Reply> {
  const code = form.get('code');
  const redirectUri = form.get('redirect_uri');
  const verifier = form.get('code_verifier');
  if (!code) throw new OAuthError(400, 'invalid_request', 'code is required.');
  if (redirectUri === undefined)
    throw new OAuthError(400, 'invalid_request', 'redirect_uri is required (the one of the authorization request).');
  if (verifier === undefined && form.has('code_challenge')) {
    throw new OAuthError(400, 'invalid_request', 'Send the PKCE code_verifier (RFC 7636), not code_challenge, to the token endpoint.');
  }
  if (!client.grant_types.includes('authorization_code')) {
    throw new OAuthError(400, 'unauthorized_client', 'This client is not allowed to use the authorization_code grant.');
  }
  const key = opaqueTokenKey(code);
  const record = ctx.state.codes.get(key);
  if (!record || record.client_id !== client.client_id) {
    throw new OAuthError(400, 'invalid_grant', 'The authorization code is not valid for this client.');
  }
  if (record.used) {
    ctx.state.codes.delete(key);
    ctx.state.revokeGrant(record.grant_id);
    await ctx.state.persist();
    throw new OAuthError(400, 'invalid_grant', 'The authorization code was already used; the tokens issued with it are revoked.');
  }
  record.used = true;
  if (record.exp <= now()) {
    throw new OAuthError(400, 'invalid_grant', `The authorization code has expired (codes live ${AUTHORIZATION_CODE_LIFETIME} seconds).`);
  }
  if (redirectUri !== record.redirect_uri) {
    throw new OAuthError(400, 'invalid_grant', 'redirect_uri is not the one of the authorization request.');
  }
  if (record.code_challenge !== undefined) {
    if (verifier === undefined) {
      throw new OAuthError(400, 'invalid_grant', 'code_verifier is required: the authorization request had a PKCE code_challenge.');
    }
    if (!CODE_VERIFIER.test(verifier)) {
      throw new OAuthError(400, 'invalid_grant', 'code_verifier must be 43 to 128 characters of A-Z, a-z, 0-9, "-", ".", "_", "~".');
    }
    if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== record.code_challenge) {
      throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge of the authorization request (PKCE).');
    }
  } else if (verifier !== undefined) {
    throw new OAuthError(400, 'invalid_grant', 'code_verifier was sent but the authorization request had no code_challenge.');
  }
  const person = ctx.state.persons.get(record.person_id);
  if (!person || !person.active) {
    throw new OAuthError(400, 'invalid_grant', 'The person who signed in no longer exists or is not active.');
  }
  const scopes = scopeList(record.scope);
  const reply = await issueGrantTokens({
    state: ctx.state,
    issuer: ctx.issuer,
    client,
    person,
    scopes,
    refreshScopes: scopes,
    grantId: record.grant_id,
    authTime: record.auth_time,
    ...(record.nonce !== undefined ? { nonce: record.nonce } : {}),
  });
  await ctx.state.persist();
  return reply;
}

/**
 * The refresh-token grant. Refresh tokens rotate: each use answers a new refresh token (with the
 * grant's original scope) and retires the one used; using a retired one again revokes the whole grant
 * (RFC 9700 §4.14.2). `scope` may narrow the new access token's scope, never widen it.
 */
async function refreshTokenGrant(ctx: RouteContext, form: Map<string, string>, client: ClientRecord): Promise<Reply> {
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) throw new OAuthError(400, 'invalid_request', 'refresh_token is required.');
  const record = ctx.state.tokens.get(opaqueTokenKey(refreshToken));
  if (!record || record.kind !== 'refresh' || record.client_id !== client.client_id) {
    throw new OAuthError(400, 'invalid_grant', 'The refresh token is not valid for this client (unknown, revoked or of another client).');
  }
  if (record.rotated) {
    if (record.grant_id !== undefined) ctx.state.revokeGrant(record.grant_id);
    await ctx.state.persist();
    throw new OAuthError(400, 'invalid_grant', 'The refresh token was already used; every token of its grant is revoked.');
  }
  if (record.exp <= now()) {
    throw new OAuthError(400, 'invalid_grant', 'The refresh token has expired.');
  }
  const granted = scopeList(record.scope);
  const requested = form.get('scope');
  const scopes = requested === undefined ? granted : scopeList(requested);
  const wider = scopes.filter((s) => !granted.includes(s));
  if (wider.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `The refresh token was not granted: ${wider.map((s) => s.slice(0, 64)).join(', ')}.`);
  }
  const person = record.person_id !== undefined ? ctx.state.persons.get(record.person_id) : undefined;
  if (!person || !person.active) {
    throw new OAuthError(400, 'invalid_grant', 'The person of this refresh token no longer exists or is not active.');
  }
  record.grant_id ??= randomUUID();
  record.rotated = true;
  const reply = await issueGrantTokens({
    state: ctx.state,
    issuer: ctx.issuer,
    client,
    person,
    scopes,
    refreshScopes: granted,
    grantId: record.grant_id,
    authTime: record.auth_time ?? record.iat,
  });
  await ctx.state.persist();
  return reply;
}

/** The record of a token the emulator issued (JWTs by their verified `jti`, opaque ones by hash). */
async function findToken(ctx: RouteContext, token: string): Promise<{ key: string; record: TokenRecord } | undefined> {
  let key: string;
  if (looksLikeJwt(token)) {
    const verified = await ctx.state.signingKey.verify(token, 'JWT');
    if ('error' in verified || typeof verified.payload.jti !== 'string') return undefined;
    key = jwtTokenKey(verified.payload.jti);
  } else {
    key = opaqueTokenKey(token);
  }
  const record = ctx.state.tokens.get(key);
  return record ? { key, record } : undefined;
}

/**
 * POST /oauth2/tokens/introspect (RFC 7662), confidential clients only. Active when the emulator
 * issued the token as an access or refresh token (ID tokens and authorization codes are never
 * active), it has not expired, been revoked or (refresh) been used, its client still exists and
 * belongs to the same org as the client asking, and it was granted every scope of the request's
 * `scope` parameter. `token_type_hint` is accepted and not needed.
 */
async function introspectToken(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const caller = authenticateClient(ctx, form);
  const token = form.get('token');
  if (!token) {
    throw new OAuthError(400, 'invalid_request', 'token is required.');
  }
  const inactive: Reply = { status: 200, body: { active: false }, headers: NO_STORE };
  const found = await findToken(ctx, token);
  const record = found?.record;
  const client = record ? ctx.state.clients.get(record.client_id) : undefined;
  if (!record || record.kind === 'id' || record.rotated || record.exp <= now() || !client || client.org_id !== caller.org_id) {
    return inactive;
  }
  const granted = scopeList(record.scope);
  if (!scopeList(form.get('scope')).every((s) => granted.includes(s))) {
    return inactive;
  }
  return {
    status: 200,
    body: { active: true, client_id: record.client_id, exp: record.exp, iat: record.iat, scope: record.scope },
    headers: NO_STORE,
  };
}

/**
 * POST /oauth2/tokens/revoke (RFC 7009). Revokes an access or refresh token (or an unused
 * authorization code) issued to the authenticating client; revoking a refresh token or a code revokes
 * its whole grant. An unknown token, or one of another client, changes nothing: 200 in every case.
 */
async function revokeToken(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const client = authenticateClient(ctx, form, true);
  const token = form.get('token');
  if (!token) {
    throw new OAuthError(400, 'invalid_request', 'token is required.');
  }
  const found = await findToken(ctx, token);
  if (found && found.record.client_id === client.client_id) {
    ctx.state.tokens.delete(found.key);
    if (found.record.kind === 'refresh' && found.record.grant_id !== undefined) ctx.state.revokeGrant(found.record.grant_id);
    await ctx.state.persist();
  } else {
    const code = ctx.state.codes.get(opaqueTokenKey(token));
    if (code && code.client_id === client.client_id) {
      ctx.state.codes.delete(opaqueTokenKey(token));
      ctx.state.revokeGrant(code.grant_id);
      await ctx.state.persist();
    }
  }
  return { status: 200, headers: NO_STORE };
}

/**
 * POST /oauth2/tokens/revoke-all {person_id, until?}, confidential clients only: revokes every token
 * (and unused code) the authenticating client holds for the person, issued at or before `until`
 * (default: now); later tokens stay valid. 400 `invalid_request` for a person of another org or an
 * `until` that is not an RFC 3339 date-time.
 */
async function revokeAll(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const client = authenticateClient(ctx, form);
  const personId = form.get('person_id');
  if (!personId) {
    throw new OAuthError(400, 'invalid_request', 'person_id is required.');
  }
  const person = ctx.state.persons.get(personId);
  if (!person || person.org_id !== client.org_id) {
    throw new OAuthError(400, 'invalid_request', "person_id names no person of the client's organization.");
  }
  const until = form.get('until');
  if (until !== undefined && (!RFC3339_DATE_TIME.test(until) || Number.isNaN(Date.parse(until)))) {
    throw new OAuthError(400, 'invalid_request', 'until must be an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z.');
  }
  const untilMs = until === undefined ? Date.now() : Date.parse(until);
  const limit = Math.floor(untilMs / 1000);
  ctx.state.noteRevokeAll(client.client_id, personId, untilMs);
  for (const [key, token] of ctx.state.tokens) {
    if (token.person_id === personId && token.client_id === client.client_id && token.iat <= limit) ctx.state.tokens.delete(key);
  }
  for (const [key, code] of ctx.state.codes) {
    if (code.person_id === personId && code.client_id === client.client_id && code.auth_time <= limit) ctx.state.codes.delete(key);
  }
  await ctx.state.persist();
  return { status: 200, headers: NO_STORE };
}

export const oauthTokenRoutes: RouteDefinition[] = [
  { method: 'POST', pattern: '/oauth2/tokens', handler: issueToken },
  { method: 'POST', pattern: '/oauth2/tokens/introspect', handler: introspectToken },
  { method: 'POST', pattern: '/oauth2/tokens/revoke', handler: revokeToken },
  { method: 'POST', pattern: '/oauth2/tokens/revoke-all', handler: revokeAll },
];
