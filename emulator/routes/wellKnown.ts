import type { Reply } from '../http';
import type { RouteContext, RouteDefinition } from '../routeContext';

/** GET /.well-known/jwks.json — the emulator's public signing key (no API key needed). */
function jwks(ctx: RouteContext): Reply {
  return { status: 200, body: { keys: [ctx.state.signingKey.publicJwk] }, headers: { 'Cache-Control': 'public, max-age=300' } };
}

/**
 * GET /.well-known/openid-configuration — the discovery document (no API key needed). It advertises
 * exactly what the emulator serves, and has every field the spec's `OpenIDConfig` requires.
 */
function openidConfiguration(ctx: RouteContext): Reply {
  const base = ctx.issuer;
  const clientAuth = ['client_secret_basic', 'client_secret_post'];
  return {
    status: 200,
    body: {
      issuer: base,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/tokens`,
      userinfo_endpoint: `${base}/oauth2/userinfo`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      revocation_endpoint: `${base}/oauth2/tokens/revoke`,
      introspection_endpoint: `${base}/oauth2/tokens/introspect`,
      scopes_supported: ['openid', 'offline_access', 'email', 'phone', 'username'],
      response_types_supported: ['code', 'code id_token'],
      response_modes_supported: ['query', 'fragment'],
      grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: [...clientAuth, 'none'],
      revocation_endpoint_auth_methods_supported: [...clientAuth, 'none'],
      introspection_endpoint_auth_methods_supported: clientAuth,
      code_challenge_methods_supported: ['S256'],
      prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
      claims_supported: [
        'aud',
        'at_hash',
        'auth_time',
        'authenticated_methods',
        'azp',
        'c_hash',
        'client_id',
        'email',
        'email_verified',
        'exp',
        'first_token',
        'iat',
        'iss',
        'jti',
        'nonce',
        'oid',
        'org_id',
        'person_id',
        'phone_number',
        'phone_number_verified',
        's_hash',
        'scope',
        'sub',
        'username',
      ],
    },
  };
}

export const wellKnownRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/.well-known/jwks.json', handler: jwks },
  { method: 'GET', pattern: '/.well-known/openid-configuration', handler: openidConfiguration },
];
