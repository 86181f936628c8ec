import { USERINFO_MISSING_SCOPE_STATUS } from '../../src/slashid/contract';
import { jwtTokenKey } from '../grantTokens';
import { ApiError, type Reply } from '../http';
import { scopeList } from '../oauthForm';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { looksLikeJwt } from '../signingKey';

const REALM = 'SlashID emulator';

/** A 401 in the error envelope with the RFC 6750 §3 `WWW-Authenticate: Bearer` challenge. */
function bearerError(
  status: 401,
  message: string,
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  scope?: string,
): ApiError {
  const challenge = error
    ? `Bearer realm="${REALM}", error="${error}", error_description="${message.replace(/["\\]/g, '')}"${scope ? `, scope="${scope}"` : ''}`
    : `Bearer realm="${REALM}"`;
  return new ApiError(status, message, { 'WWW-Authenticate': challenge, 'Cache-Control': 'no-store' });
}

/** The access token: `Authorization: Bearer …`, or (POST) the `access_token` form field (RFC 6750 §2.2), not both. */
async function accessTokenOf(ctx: RouteContext): Promise<string> {
  const authorization = ctx.header('authorization');
  let fromForm: string | undefined;
  if (ctx.req.method === 'POST') {
    const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/x-www-form-urlencoded') {
      fromForm = new URLSearchParams((await ctx.body()).toString('utf8')).get('access_token') ?? undefined;
    }
  }
  if (authorization !== undefined) {
    const match = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization);
    if (!match) throw bearerError(401, 'The Authorization header must be "Bearer <access token>".', 'invalid_request');
    if (fromForm !== undefined)
      throw bearerError(401, 'Send the access token once: in the Authorization header or the body.', 'invalid_request');
    return match[1];
  }
  if (fromForm !== undefined) return fromForm;
  throw bearerError(401, 'An access token is required: Authorization: Bearer <access token>.');
}

/**
 * GET and POST /oauth2/userinfo — the spec's `UserinfoOAuth2Response` for an active JWT access token
 * of a person that was granted `openid`: `sub`, `iss`, `aud` (the client ID), `org_id`, and `email` /
 * `phone_number` (with `_verified`) and `username` when the `email` / `phone` / `username` scope was
 * granted and the person has such a handle. 401 with `WWW-Authenticate: Bearer` without a valid token, and without `openid`
 * (`error="insufficient_scope"`; the spec's status, see `USERINFO_MISSING_SCOPE_STATUS`).
 */
async function userinfo(ctx: RouteContext): Promise<Reply> {
  const token = await accessTokenOf(ctx);
  const invalid = () => bearerError(401, 'The access token is not valid (unknown, expired or revoked).', 'invalid_token');
  if (!looksLikeJwt(token)) throw invalid();
  const verified = await ctx.state.signingKey.verify(token, 'JWT');
  if ('error' in verified || typeof verified.payload.jti !== 'string') throw invalid();
  const record = ctx.state.tokens.get(jwtTokenKey(verified.payload.jti));
  if (!record || record.kind !== 'access' || record.exp <= Math.floor(Date.now() / 1000) || record.person_id === undefined) throw invalid();
  const person = ctx.state.persons.get(record.person_id);
  if (!person) throw invalid();
  const scopes = scopeList(record.scope);
  if (!scopes.includes('openid')) {
    throw bearerError(USERINFO_MISSING_SCOPE_STATUS, 'The access token was not granted the openid scope.', 'insufficient_scope', 'openid');
  }
  const body: Record<string, unknown> = { sub: person.person_id, iss: ctx.issuer, aud: record.client_id, org_id: record.org_id };
  const email = person.handles.find((h) => h.type === 'email_address');
  if (scopes.includes('email') && email) Object.assign(body, { email: email.value, email_verified: true });
  const phone = person.handles.find((h) => h.type === 'phone_number');
  if (scopes.includes('phone') && phone) Object.assign(body, { phone_number: phone.value, phone_number_verified: true });
  const username = person.handles.find((h) => h.type === 'username');
  if (scopes.includes('username') && username) body.username = username.value;
  return { status: 200, body, headers: { 'Cache-Control': 'no-store' } };
}

export const userinfoRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/oauth2/userinfo', handler: userinfo },
  { method: 'POST', pattern: '/oauth2/userinfo', handler: userinfo },
];
