/**
 * Zod schemas written from SlashID's published OpenAPI description (/work/shared/spec/slashid-openapi.yml,
 * names as there), to check the emulator's answers against the spec rather than against itself.
 * Objects are loose (`z.looseObject`) wherever the spec does not forbid other fields. Where the spec is
 * wrong or cannot be used as written, a comment says so.
 */
import { z } from 'zod';

/** APIResponseBase with a `result` (the envelope of the SlashID API). */
export function envelopeOf<T extends z.ZodType>(result: T) {
  return z.looseObject({ result, meta: z.looseObject({}).optional(), errors: z.array(z.unknown()).optional() });
}

/** An error answer: APIResponseBase's `errors` (each with `httpcode` and `message`). */
export const ErrorEnvelope = z.looseObject({
  errors: z.array(z.looseObject({ httpcode: z.number().int(), message: z.string() })).min(1),
});

/** RFC 6749 §5.2 error body (the spec refers to BadRequest = APIResponseBase, but OAuth clients need this form). */
export const OAuthErrorBody = z.looseObject({ error: z.string(), error_description: z.string().optional() });

/** OAuth2ScopesSpaceDelimited. */
const Scopes = z.string();
/** OAuth2AuthTokenType: the spec's enum is `bearer` (lower case). */
const AuthTokenType = z.literal('bearer');

/**
 * PostOAuth2TokenResponseClientCredentials / …AuthorizationCode / …RefreshToken. The spec's
 * `PostOAuth2TokenResponse` is a oneOf of three overlapping objects, which no answer can satisfy
 * exactly once; each operation's answer is checked against its own variant instead.
 */
export const PostOAuth2TokenResponseClientCredentials = z.looseObject({
  access_token: z.string(),
  expires_in: z.number().int(),
  scope: Scopes.optional(),
  token_type: AuthTokenType,
});
export const PostOAuth2TokenResponseAuthorizationCode = z.looseObject({
  access_token: z.string(),
  refresh_token: z.string().optional(),
  id_token: z.string().optional(),
  expires_in: z.number().int(),
  scope: Scopes.optional(),
  token_type: AuthTokenType,
});
export const PostOAuth2TokenResponseRefreshToken = PostOAuth2TokenResponseAuthorizationCode;

/** IntrospectOAuth2TokenResponse. */
export const IntrospectOAuth2TokenResponse = z.looseObject({
  active: z.boolean(),
  client_id: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  scope: z.string().optional(),
});

/** UserinfoOAuth2Response. */
export const UserinfoOAuth2Response = z.looseObject({
  sub: z.string(),
  iss: z.string(),
  aud: z.string(),
  org_id: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  phone_number: z.string().optional(),
  phone_number_verified: z.boolean().optional(),
  username: z.string().optional(),
});

/** OAuthClientUIConfiguration (additionalProperties: true). */
export const OAuthClientUIConfiguration = z.looseObject({
  dynamicFlowConfig: z.looseObject({}).optional(),
  dynamicFlowEnabled: z.boolean().optional(),
  handleTypes: z.array(z.string()).optional(),
  logoUrl: z.string().optional(),
  pageBackgroundColor: z.string().optional(),
  showBadge: z.boolean().optional(),
  storeLastFactor: z.boolean().optional(),
  supportURL: z.string().optional(),
  alternativeAuthURL: z.string().optional(),
  faviconUrl: z.string().optional(),
  pageTitle: z.string().optional(),
  themeVars: z.record(z.string(), z.string()).optional(),
  textOverrides: z.record(z.string(), z.string()).optional(),
});

/** OIDCTokenType. */
const OIDCTokenType = z.enum(['access', 'refresh', 'id']);
/** OAuthProvider. */
const OAuthProvider = z.enum(['google', 'github', 'bitbucket', 'gitlab', 'facebook', 'line', 'azuread', 'okta', 'apple']);
/** SsoOidcTokenDetail: eight required properties, `extra_callback_values` optional. */
export const SsoOidcTokenDetail = z.looseObject({
  token: z.string(),
  token_type: OIDCTokenType,
  expiry: z.iso.datetime({ offset: true }),
  provider: OAuthProvider,
  client_id: z.string(),
  authentication_id: z.string(),
  person_id: z.string(),
  organization_id: z.string(),
  extra_callback_values: z.record(z.string(), z.unknown()).optional(),
});
/** SsoOidcTokensQueryResp. */
export const SsoOidcTokensQueryResp = z.array(SsoOidcTokenDetail);

/** PersonRet, as far as the emulator keeps persons. */
export const PersonRet = z.looseObject({
  person_id: z.string(),
  active: z.boolean(),
  person_type: z.string().optional(),
  region: z.string().optional(),
  handles: z.array(z.looseObject({ type: z.string(), value: z.string() })).optional(),
  roles: z.array(z.string()).optional(),
});

/**
 * OpenIDConfig. The spec's descriptions say the URLs MUST use https; that is the OpenID rule for a
 * real provider, which a loopback emulator cannot follow, so URLs are checked as URLs only.
 */
const Url = z.url();
export const OpenIDConfig = z.looseObject({
  issuer: Url,
  authorization_endpoint: Url,
  token_endpoint: Url,
  userinfo_endpoint: Url.optional(),
  jwks_uri: Url,
  registration_endpoint: Url.optional(),
  scopes_supported: z.array(z.string()).optional(),
  response_types_supported: z.array(z.string()),
  grant_types_supported: z.array(z.string()).optional(),
  acr_values_supported: z.array(z.string()).optional(),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()).refine((algs) => algs.includes('RS256'), 'RS256 MUST be included'),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  claims_supported: z.array(z.string()).optional(),
});

/** OAuth2GrantType, OAuth2ResponseType. */
const GrantType = z.enum(['client_credentials', 'authorization_code', 'refresh_token']);
const ResponseType = z.enum(['code', 'id_token', 'token']);

/** OAuth2Client. */
export const OAuth2Client = z.looseObject({
  client_id: z.string(),
  client_name: z.string(),
  grant_types: z.array(GrantType),
  response_types: z.array(z.array(ResponseType)),
  scopes: z.array(z.string()),
  access_token_duration: z.number().int().optional(),
  refresh_token_duration: z.number().int().optional(),
  public: z.boolean(),
  redirect_uris: z.array(z.url()).optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  last_used: z.iso.datetime({ offset: true }).optional(),
});
/** OAuth2ClientSecretResponse and OAuth2ClientWithSecret (allOf both). */
export const OAuth2ClientSecretResponse = z.looseObject({ client_secret: z.string() });
export const OAuth2ClientWithSecret = OAuth2Client.extend(OAuth2ClientSecretResponse.shape);

/** MintOAuth2TokensResponse. */
export const MintOAuth2TokensResponse = z.looseObject({
  access_token: z.string(),
  id_token: z.string().optional(),
  refresh_token: z.string().optional(),
});

/** JWKS: the spec says only `additionalProperties: true`; RFC 7517 gives it `keys`. */
export const JWKS = z.looseObject({ keys: z.array(z.looseObject({ kty: z.string() })) });

/** SsoOidcTokensGetResponse. */
export const SsoOidcTokensGetResponse = z.array(SsoOidcTokenDetail);
