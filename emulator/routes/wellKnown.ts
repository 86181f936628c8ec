import type { Reply } from '../http';
import type { RouteContext, RouteDefinition } from '../routeContext';

/** GET /.well-known/jwks.json — the emulator's public signing key (no API key needed). */
function jwks(ctx: RouteContext): Reply {
  return { status: 200, body: { keys: [ctx.state.signingKey.publicJwk] }, headers: { 'Cache-Control': 'public, max-age=300' } };
}

/** GET /.well-known/openid-configuration — the discovery document (no API key needed). */
function openidConfiguration(ctx: RouteContext): Reply {
  const base = ctx.issuer;
  return {
    status: 200,
    body: {
      issuer: base,
      jwks_uri: `${base}/.well-known/jwks.json`,
      token_endpoint: `${base}/oauth2/tokens`,
      introspection_endpoint: `${base}/oauth2/tokens/introspect`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types_supported: ['code', 'code id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['openid', 'offline_access'],
      claims_supported: ['aud', 'authenticated_methods', 'exp', 'first_token', 'iat', 'iss', 'jti', 'oid', 'person_id', 'sub'],
    },
  };
}

export const wellKnownRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/.well-known/jwks.json', handler: jwks },
  { method: 'GET', pattern: '/.well-known/openid-configuration', handler: openidConfiguration },
];
