import { decodeProtectedHeader } from 'jose';
import { SSO_TOKEN_CONTAINER_TYP } from '../../src/slashid/contract';
import { ApiError, envelope, type Reply } from '../http';
import { API_KEY_HEADER, ORG_HEADER } from '../orgAuth';
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
  return envelope(
    login.tokens.map((t) => ({
      token: t.token,
      token_type: t.token_type,
      expiry: t.expiry,
      provider: login.provider,
      client_id: login.provider_client_id,
      authentication_id: login.authentication_id,
      person_id: login.person_id,
      organization_id: login.org_id,
    })),
  );
}

/** The `typ` of a JWT's protected header; undefined when it cannot be read. */
function containerTyp(token: string): unknown {
  try {
    return decodeProtectedHeader(token).typ;
  } catch {
    return undefined;
  }
}

export const ssoRoutes: RouteDefinition[] = [{ method: 'GET', pattern: '/sso/oidc/tokens', handler: oidcTokens }];
