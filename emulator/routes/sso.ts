import { decodeProtectedHeader } from 'jose';
import { SSO_TOKEN_CONTAINER_TYP } from '../../src/slashid/contract';
import { z } from 'zod';
import { ApiError, envelope, noContent, parseJson, validateBody, type Reply } from '../http';
import { API_KEY_HEADER, ORG_HEADER, authenticateOrg } from '../orgAuth';
import type { SsoLoginRecord } from '../state';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { looksLikeJwt } from '../signingKey';

export const TOKEN_CONTAINER_HEADER = 'slashid-token';

/**
 * GET /sso/oidc/tokens — the provider tokens of the SSO login behind a token container (header
 * `SlashID-Token`). 400: no org header, no container or not a JWT; 401: an API key that is given and
 * wrong, or a container whose signature does not verify or that has expired; 403: the container belongs
 * to another org; 404: no login behind it. The API key is optional here (SlashID documents only the org
 * header and the container for this operation). A JWT of the emulator that is not a container (its
 * protected header's `typ` is not SSO_TOKEN_CONTAINER_TYP, e.g. an access token) is refused with 401.
 */
async function oidcTokens(ctx: RouteContext): Promise<Reply> {
  const orgId = ctx.header(ORG_HEADER);
  if (!orgId) {
    throw new ApiError(400, 'The SlashID-OrgID header is required.');
  }
  const apiKey = ctx.header(API_KEY_HEADER);
  if (apiKey !== undefined && !ctx.state.apiKeyRole(orgId, apiKey)) {
    throw new ApiError(401, 'The API key is not valid for this organization.');
  }
  const container = ctx.header(TOKEN_CONTAINER_HEADER);
  if (!container) {
    throw new ApiError(400, 'The SlashID-Token header is required (the token container issued after the SSO login).');
  }
  if (!looksLikeJwt(container)) {
    throw new ApiError(400, 'The SlashID-Token header is not a JWT.');
  }
  const verified = await ctx.state.signingKey.verify(container, SSO_TOKEN_CONTAINER_TYP);
  if ('error' in verified) {
    let message = 'The token container is not signed by this SlashID instance.';
    if (verified.error === 'expired') message = 'The token container has expired.';
    else if (containerTyp(container) !== SSO_TOKEN_CONTAINER_TYP)
      message = 'The SlashID-Token header holds a JWT that is not an SSO token container.';
    throw new ApiError(401, message);
  }
  if (verified.payload.oid !== orgId) {
    throw new ApiError(403, 'The token container belongs to another organization.');
  }
  const login = typeof verified.payload.jti === 'string' ? ctx.state.ssoLogins.get(verified.payload.jti) : undefined;
  if (!login || login.org_id !== orgId) {
    throw new ApiError(404, 'No SSO login for this token container.');
  }
  return envelope(tokenDetails(login));
}

/** The spec's `SsoOidcTokenDetail` of each provider token of a login (plus `organization_id`). */
function tokenDetails(login: SsoLoginRecord, types?: readonly string[]): Record<string, string>[] {
  return login.tokens
    .filter((t) => types === undefined || types.includes(t.token_type))
    .map((t) => ({
      token: t.token,
      token_type: t.token_type,
      expiry: t.expiry,
      provider: login.provider,
      client_id: login.provider_client_id,
      authentication_id: login.authentication_id,
      person_id: login.person_id,
      organization_id: login.org_id,
    }));
}

const tokenTypes = z.array(z.enum(['access', 'refresh', 'id'], { error: 'must be access, refresh or id' }), {
  error: 'must be an array of token types',
});
const queryBody = z.object({
  person_id: z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty'),
  authentication_ids: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' }).optional(),
  token_types: tokenTypes.optional(),
});
const revokeBody = z.object({
  person_id: z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty'),
  authentication_id: z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty'),
  token_types: tokenTypes.optional(),
});

/**
 * POST /sso/oidc/tokens/query {person_id, authentication_ids?, token_types?} — the provider tokens of
 * the person's SSO logins in the header org (API key needed, member keys may read), narrowed by login
 * and token type. A person without logins (or of another org) gets an empty list.
 */
async function queryTokens(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'read');
  const input = validateBody(queryBody, parseJson(await ctx.body()));
  const result: Record<string, string>[] = [];
  for (const login of ctx.state.ssoLogins.values()) {
    if (login.org_id !== caller.orgId || login.person_id !== input.person_id) continue;
    if (input.authentication_ids !== undefined && !input.authentication_ids.includes(login.authentication_id)) continue;
    result.push(...tokenDetails(login, input.token_types));
  }
  return envelope(result);
}

/**
 * POST /sso/oidc/tokens/revoke/v2 {person_id, authentication_id, token_types?} — forgets the provider
 * tokens of that login (all of them without `token_types`); 204. 404 when the org has no such login
 * of that person. Needs an admin API key.
 */
async function revokeTokens(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const input = validateBody(revokeBody, parseJson(await ctx.body()));
  const login = ctx.state.ssoLogins.get(input.authentication_id);
  if (!login || login.org_id !== caller.orgId || login.person_id !== input.person_id) {
    throw new ApiError(404, 'No SSO login with this authentication_id for this person in the organization.');
  }
  const types = input.token_types;
  login.tokens = login.tokens.filter((t) => types !== undefined && !types.includes(t.token_type));
  await ctx.state.persist();
  return noContent();
}

/** The `typ` of a JWT's protected header; undefined when it cannot be read. */
function containerTyp(token: string): unknown {
  try {
    return decodeProtectedHeader(token).typ;
  } catch {
    return undefined;
  }
}

export const ssoRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/sso/oidc/tokens', handler: oidcTokens },
  { method: 'POST', pattern: '/sso/oidc/tokens/query', handler: queryTokens, json: true },
  { method: 'POST', pattern: '/sso/oidc/tokens/revoke/v2', handler: revokeTokens, json: true },
];
