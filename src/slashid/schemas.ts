import * as z from 'zod/mini';
import type { compile as zodCompile } from 'zod/v4/core';
import { GRANT_TYPES } from './contract';

/**
 * zod schemas of every request and response of the SlashID API we use, written from SlashID's published
 * OpenAPI description (`shared/spec/slashid-openapi.yml` beside the repository; names follow its schemas).
 *
 * Responses are lenient where the real API may add fields (objects keep unknown keys: `looseObject`)
 * and strict on the fields the extension reads. Requests are typed here and validated by
 * `requestValidation.ts` before sending (with messages meant for users).
 *
 * `zod/mini` keeps the extension bundle small.
 */

// ---------------------------------------------------------------------------------------------------
// Envelope

export const PaginationSchema = z.looseObject({
  limit: z.optional(z.number()),
  offset: z.optional(z.number()),
  total_count: z.optional(z.number()),
});

export const ApiErrorItemSchema = z.looseObject({
  httpcode: z.optional(z.number()),
  message: z.optional(z.string()),
});
export type ApiErrorItem = z.infer<typeof ApiErrorItemSchema>;

export const MetaSchema = z.looseObject({ pagination: z.optional(PaginationSchema) });

/** `{ meta?, errors?, result }` with `result` of the given schema. */
export function envelopeOf<T extends z.ZodMiniType>(result: T) {
  return z.looseObject({
    meta: z.optional(z.nullable(MetaSchema)),
    errors: z.optional(z.nullable(z.array(ApiErrorItemSchema))),
    result,
  });
}

/** What the API answers on error statuses: the envelope without `result`. */
export const ErrorEnvelopeSchema = z.looseObject({
  meta: z.optional(z.nullable(MetaSchema)),
  errors: z.optional(z.nullable(z.array(ApiErrorItemSchema))),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** RFC 6749 §5.2 error of `/oauth2/tokens` and `/oauth2/tokens/introspect`. */
export const OAuthErrorBodySchema = z.looseObject({
  error: z.string(),
  error_description: z.optional(z.string()),
});
export type OAuthErrorBody = z.infer<typeof OAuthErrorBodySchema>;

// ---------------------------------------------------------------------------------------------------
// OAuth2 clients

export const GrantTypeSchema = z.enum(GRANT_TYPES);

/**
 * An OAuth2 client as the API returns it. `grant_types` is read as plain strings: the spec's response
 * lists `refresh_token` too, and a new value must not make the whole list unreadable.
 */
const OAUTH2_CLIENT_SHAPE = {
  client_id: z.string().check(z.minLength(1)),
  client_name: z.string(),
  grant_types: z.array(z.string()),
  response_types: z.optional(z.array(z.array(z.string()))),
  scopes: z.array(z.string()),
  public: z.boolean(),
  access_token_duration: z.optional(z.number()),
  refresh_token_duration: z.optional(z.number()),
  redirect_uris: z.optional(z.nullable(z.array(z.string()))),
  created_at: z.optional(z.string()),
  last_used: z.optional(z.nullable(z.string())),
};
export const OAuth2ClientSchema = z.looseObject(OAUTH2_CLIENT_SHAPE);
export type OAuth2Client = z.infer<typeof OAuth2ClientSchema>;

/**
 * The answer of `GET /oauth2/clients`, the one hot path (an org may have thousands of clients),
 * compiled by zod (`z.compile`): `SlashIdClient` checks every field of every client with `z.validate`,
 * which builds no output, and keeps the JSON itself; only an answer that fails is parsed again for the
 * issue to name. (Parsing copied each client: half again the transfer for 5,000 clients.) Compiled on
 * first use, with the API core.
 */
let clientListAnswer: ReturnType<typeof clientListAnswerSchema> | undefined;
const clientListAnswerSchema = () => {
  const schema = envelopeOf(z.array(OAuth2ClientSchema));
  try {
    return zodCompiler()(schema);
  } catch {
    // No compiler (a bundle built without dist/zodCompiler.js): the same checks, uncompiled and slower.
    return schema;
  }
};
/**
 * zod's compiler, required when the first client list arrives. It is the same `compile` as `z.compile`;
 * in the extension bundle this require reads dist/zodCompiler.js (esbuild.js), so that the features
 * bundle does not carry the compiler's ~29 KB.
 */
function zodCompiler(): typeof zodCompile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('zod/v4/core') as { compile: typeof zodCompile }).compile;
}
export function clientListAnswerCompiled(): ReturnType<typeof clientListAnswerSchema> {
  return (clientListAnswer ??= clientListAnswerSchema());
}

/** The answer to create: the client and, this once, its secret (confidential clients only). */
export const CreatedOAuth2ClientSchema = z
  .looseObject({
    ...OAuth2ClientSchema.shape,
    client_secret: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.refine((c) => c.public || c.client_secret !== undefined, {
      message: 'a confidential client is created with its client_secret',
      path: ['client_secret'],
    }),
  );
export type CreatedOAuth2Client = z.infer<typeof CreatedOAuth2ClientSchema>;

export const RotatedSecretSchema = z.looseObject({ client_secret: z.string().check(z.minLength(1)) });
export type RotatedSecret = z.infer<typeof RotatedSecretSchema>;

/** Body of `POST /oauth2/clients`. */
export interface CreateClientRequest {
  client_name: string;
  scopes: string[];
  grant_types: ('client_credentials' | 'authorization_code')[];
  access_token_duration?: number;
  refresh_token_duration?: number;
  redirect_uris?: string[];
  public?: boolean;
}

/** Body of `PATCH /oauth2/clients/{id}`: at least one field. */
export type UpdateClientRequest = Partial<Omit<CreateClientRequest, 'public'>>;

// ---------------------------------------------------------------------------------------------------
// Tokens

/** `POST /oauth2/tokens` (plain OAuth JSON). */
export const TokenResponseSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.number(),
  scope: z.optional(z.string()),
  token_type: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** `POST /oauth2/tokens/introspect` (plain OAuth JSON, RFC 7662). */
export const IntrospectionResponseSchema = z.looseObject({
  active: z.boolean(),
  client_id: z.optional(z.string()),
  exp: z.optional(z.number()),
  iat: z.optional(z.number()),
  scope: z.optional(z.string()),
});
export type IntrospectionResponse = z.infer<typeof IntrospectionResponseSchema>;

/** The spec's `OAuth2TokenType`, sent as `token_type_hint` to introspection and revocation. */
export const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token', 'authorize_code', 'id_token'] as const;
export type TokenTypeHint = (typeof TOKEN_TYPE_HINTS)[number];

/** Body of `POST /oauth2/tokens/mint`. */
export interface MintTokensRequest {
  person_id: string;
  client_id: string;
  scopes?: string[];
  custom_claims?: Record<string, unknown>;
}

export const MintResultSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  id_token: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
});
export type MintResult = z.infer<typeof MintResultSchema>;

/**
 * `SsoOidcTokenDetail`. The spec requires all eight properties; the client needs only the token and its
 * type to show it, so it reads the rest when present rather than refuse a whole list over a missing
 * one (the emulator's answers are checked against the spec's required set in the unit tests).
 */
export const OidcTokenSchema = z.looseObject({
  token: z.string(),
  token_type: z.enum(['access', 'refresh', 'id']),
  expiry: z.optional(z.string()),
  provider: z.optional(z.string()),
  client_id: z.optional(z.string()),
  authentication_id: z.optional(z.string()),
  person_id: z.optional(z.string()),
  organization_id: z.optional(z.string()),
});
export type OidcToken = z.infer<typeof OidcTokenSchema>;
export const OidcTokenListSchema = z.array(OidcTokenSchema);

// ---------------------------------------------------------------------------------------------------
// Persons and organizations

export const PersonHandleSchema = z.looseObject({ type: z.string(), value: z.string() });
export const PersonSchema = z.looseObject({
  person_id: z.string().check(z.minLength(1)),
  active: z.boolean(),
  person_type: z.optional(z.string()),
  region: z.optional(z.string()),
  handles: z.optional(z.nullable(z.array(PersonHandleSchema))),
});
export type Person = z.infer<typeof PersonSchema>;
export const PersonListSchema = z.array(PersonSchema);

export interface ListPersonsQuery {
  /** 1..1000 (spec). */
  limit?: number;
  offset?: number;
  /** SCIM 2.0 filter (build it with personSearch.ts, never from free text). */
  filter?: string;
  /** `type:value` with the spec's handle types (`email_address`, `phone_number`, `username`). */
  handle?: string;
}

/** `GET /organizations/suborganizations`: descendant org IDs. */
export const SubOrganizationIdsSchema = z.array(z.string());

// ---------------------------------------------------------------------------------------------------
// Keys and discovery (plain JSON)

export const JwkSchema = z.looseObject({
  kty: z.string(),
  kid: z.optional(z.string()),
  alg: z.optional(z.string()),
  use: z.optional(z.string()),
});
export type Jwk = z.infer<typeof JwkSchema>;
export const JwksSchema = z.looseObject({ keys: z.array(JwkSchema) });
export type Jwks = z.infer<typeof JwksSchema>;

/** The discovery document (`GET /.well-known/openid-configuration`): the spec's `OpenIDConfig` (below). */
export type DiscoveryDocument = OpenIDConfig;

// ---------------------------------------------------------------------------------------------------
// Authorization code, refresh, revocation, userinfo (spec: PostOAuth2TokenResponse*, RevokeOAuth2TokenRequest,
// RevokeAllOAuth2TokensRequest, IntrospectOAuth2TokenRequest, UserinfoOAuth2Response)

/**
 * `POST /oauth2/tokens` with the authorization-code or refresh-token grant
 * (`PostOAuth2TokenResponseAuthorizationCode` / `…RefreshToken`: the same fields). The spec's `token_type`
 * is the enum `bearer`; it is read as a string because RFC 6749 §5.1 makes it case-insensitive.
 */
export const OAuthTokenResponseSchema = z.looseObject({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.string(),
  expires_in: z.number().check(z.int()),
  scope: z.optional(z.string()),
  refresh_token: z.optional(z.string().check(z.minLength(1))),
  id_token: z.optional(z.string().check(z.minLength(1))),
});
export type OAuthTokenResponse = z.infer<typeof OAuthTokenResponseSchema>;

/** Body of `POST /oauth2/tokens/revoke` (RFC 7009). */
export interface RevokeTokenRequest {
  token: string;
  token_type_hint?: TokenTypeHint;
}

/** Body of `POST /oauth2/tokens/revoke-all`: every token of a person, or those issued before `until` (RFC 3339). */
export interface RevokeAllTokensRequest {
  person_id: string;
  until?: string;
}

/** `GET`/`POST /oauth2/userinfo` (plain JSON): `email`, `phone_number`, `username` only with their scopes. */
export const UserinfoResponseSchema = z.looseObject({
  sub: z.string(),
  iss: z.string(),
  aud: z.string(),
  org_id: z.string(),
  email: z.optional(z.string()),
  email_verified: z.optional(z.boolean()),
  phone_number: z.optional(z.string()),
  phone_number_verified: z.optional(z.boolean()),
  username: z.optional(z.string()),
});
export type UserinfoResponse = z.infer<typeof UserinfoResponseSchema>;

// ---------------------------------------------------------------------------------------------------
// Hosted-UI configuration of a client (spec: OAuthClientUIConfiguration; unknown fields are allowed and kept)

export const OAuthClientUIConfigurationSchema = z.looseObject({
  dynamicFlowConfig: z.optional(z.record(z.string(), z.unknown())),
  dynamicFlowEnabled: z.optional(z.boolean()),
  handleTypes: z.optional(z.array(z.string())),
  logoUrl: z.optional(z.string()),
  pageBackgroundColor: z.optional(z.string()),
  showBadge: z.optional(z.boolean()),
  storeLastFactor: z.optional(z.boolean()),
  supportURL: z.optional(z.string()),
  alternativeAuthURL: z.optional(z.string()),
  faviconUrl: z.optional(z.string()),
  pageTitle: z.optional(z.string()),
  themeVars: z.optional(z.record(z.string(), z.string())),
  textOverrides: z.optional(z.record(z.string(), z.string())),
});
export type OAuthClientUIConfiguration = z.infer<typeof OAuthClientUIConfigurationSchema>;

// ---------------------------------------------------------------------------------------------------
// SSO tokens (spec: SsoOidcTokensQueryReq, SsoOidcTokensQueryResp, SsoOidcTokensRevokeV2Req)

export type OidcTokenType = 'access' | 'refresh' | 'id';

/** Body of `POST /sso/oidc/tokens/query`; the answer is a list of `OidcToken` (`OidcTokenListSchema`). */
export interface SsoTokensQuery {
  person_id: string;
  /** The SSO authentications that issued the tokens; all when absent. */
  authentication_ids?: string[];
  /** The token types; all when absent. */
  token_types?: OidcTokenType[];
}

/** Body of `POST /sso/oidc/tokens/revoke/v2` (204). */
export interface SsoTokensRevokeRequest {
  person_id: string;
  authentication_id: string;
  /** All types when absent. */
  token_types?: OidcTokenType[];
}

// ---------------------------------------------------------------------------------------------------
// OpenID discovery (spec: OpenIDConfig)

/**
 * The spec's `OpenIDConfig`: the seven required fields of OpenID Connect Discovery 1.0 §3 and the
 * optional ones it lists; other fields (introspection, revocation, PKCE methods) are kept.
 */
export const OpenIDConfigSchema = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  userinfo_endpoint: z.optional(z.string()),
  jwks_uri: z.string(),
  registration_endpoint: z.optional(z.string()),
  scopes_supported: z.optional(z.array(z.string())),
  response_types_supported: z.array(z.string()),
  grant_types_supported: z.optional(z.array(z.string())),
  acr_values_supported: z.optional(z.array(z.string())),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.optional(z.array(z.string())),
  claims_supported: z.optional(z.array(z.string())),
});
export type OpenIDConfig = z.infer<typeof OpenIDConfigSchema>;
