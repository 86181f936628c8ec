import { OAuthError, type Reply } from '../http';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { looksLikeJwt, opaqueToken, sha256 } from '../signingKey';
import type { ClientRecord, TokenRecord } from '../state';

export const ACCESS_TOKEN_PREFIX = 'sid_at_';
export const REFRESH_TOKEN_PREFIX = 'sid_rt_';

/** The key of an opaque token's record (only its hash is kept). */
export function opaqueTokenKey(token: string): string {
  return `sha256:${sha256(token)}`;
}

/** The key of a JWT's record. */
export function jwtTokenKey(jti: string): string {
  return `jti:${jti}`;
}

/** An `application/x-www-form-urlencoded` body; a parameter given twice is an error (RFC 6749 §3.2). */
async function readForm(ctx: RouteContext): Promise<Map<string, string>> {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams((await ctx.body()).toString('utf8'))) {
    if (form.has(name)) {
      throw new OAuthError(400, 'invalid_request', `The parameter ${name} is given more than once.`);
    }
    form.set(name, value);
  }
  return form;
}

function decodeBasicPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic authentication.');
  }
}

/**
 * The client authenticating the request: HTTP Basic (`client_secret_basic`) or `client_id` and
 * `client_secret` form fields (`client_secret_post`), not both. Public clients cannot use a secret.
 */
function authenticateClient(ctx: RouteContext, form: Map<string, string>): ClientRecord {
  const authorization = ctx.header('authorization');
  let credentials: { id: string; secret: string } | undefined;
  if (authorization !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (!match || colon < 0) {
      throw new OAuthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic authentication.');
    }
    credentials = { id: decodeBasicPart(decoded.slice(0, colon)), secret: decodeBasicPart(decoded.slice(colon + 1)) };
    if (form.has('client_secret')) {
      throw new OAuthError(
        400,
        'invalid_request',
        'Use one client authentication method: HTTP Basic or client_secret in the body, not both.',
      );
    }
  } else if (form.has('client_id') && form.has('client_secret')) {
    credentials = { id: form.get('client_id')!, secret: form.get('client_secret')! };
  }
  if (!credentials) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication is required (HTTP Basic with the client ID and secret).');
  }
  const client = ctx.state.clientBySecret(credentials.id, credentials.secret);
  if (!client) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed: unknown client or wrong secret.');
  }
  if (client.public) {
    throw new OAuthError(401, 'invalid_client', 'A public client cannot authenticate with a client secret.');
  }
  return client;
}

/** POST /oauth2/tokens — the client-credentials grant; an opaque access token. */
async function issueToken(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const client = authenticateClient(ctx, form);
  const grantType = form.get('grant_type');
  if (!grantType) {
    throw new OAuthError(400, 'invalid_request', 'grant_type is required.');
  }
  if (grantType !== 'client_credentials') {
    throw new OAuthError(
      400,
      'unsupported_grant_type',
      `This endpoint supports grant_type=client_credentials, not ${JSON.stringify(grantType.slice(0, 64))}.`,
    );
  }
  if (!client.grant_types.includes('client_credentials')) {
    throw new OAuthError(400, 'unauthorized_client', 'This client is not allowed to use the client_credentials grant.');
  }
  const requested = form.get('scope');
  const scopes = requested === undefined ? client.scopes : [...new Set(requested.split(' ').filter((s) => s.length > 0))];
  const unknown = scopes.filter((s) => !client.scopes.includes(s));
  if (unknown.length > 0) {
    throw new OAuthError(400, 'invalid_scope', `The client may not request: ${unknown.map((s) => s.slice(0, 64)).join(', ')}.`);
  }
  const iat = Math.floor(Date.now() / 1000);
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
    headers: { 'Cache-Control': 'no-store' },
  };
}

/**
 * POST /oauth2/tokens/introspect (RFC 7662). Active when the emulator issued the token (an opaque one,
 * or a JWT whose signature verifies), it has not expired, its client still exists and belongs to the
 * same org as the client asking. `token_type_hint` is accepted and not needed.
 */
async function introspectToken(ctx: RouteContext): Promise<Reply> {
  const form = await readForm(ctx);
  const caller = authenticateClient(ctx, form);
  const token = form.get('token');
  if (!token) {
    throw new OAuthError(400, 'invalid_request', 'token is required.');
  }
  const inactive: Reply = { status: 200, body: { active: false }, headers: { 'Cache-Control': 'no-store' } };
  let record: TokenRecord | undefined;
  if (looksLikeJwt(token)) {
    const verified = await ctx.state.signingKey.verify(token);
    if ('error' in verified || typeof verified.payload.jti !== 'string') return inactive;
    record = ctx.state.tokens.get(jwtTokenKey(verified.payload.jti));
  } else {
    record = ctx.state.tokens.get(opaqueTokenKey(token));
  }
  const now = Math.floor(Date.now() / 1000);
  const client = record ? ctx.state.clients.get(record.client_id) : undefined;
  if (!record || record.exp <= now || !client || client.org_id !== caller.org_id) {
    return inactive;
  }
  return {
    status: 200,
    body: { active: true, client_id: record.client_id, exp: record.exp, iat: record.iat, scope: record.scope },
    headers: { 'Cache-Control': 'no-store' },
  };
}

export const oauthTokenRoutes: RouteDefinition[] = [
  { method: 'POST', pattern: '/oauth2/tokens', handler: issueToken },
  { method: 'POST', pattern: '/oauth2/tokens/introspect', handler: introspectToken },
];
