import { ApiRequester, requireText, type SlashIdClientOptions } from './apiRequest';
import { authorizationUrl, type AuthorizationRequest } from './authorization';
import { DISCOVERY_PATH, JWKS_PATH, MAX_DISCOVERY_BYTES, MAX_JWKS_BYTES, RFC3339_DATE_TIME, SLASHID_TOKEN_HEADER } from './contract';
import type * as z from 'zod/mini';
import type { FieldProblem, Operation } from './errors';
import { personSearchFilter } from './personSearch';
import type { RecordedRequest } from './recordedRequest';
import { describeSchemaIssue, formatIssuePath } from './schemaIssues';
import { inertText } from './untrustedText';
import { validateCreateClient, validateListPersons, validateMintTokens, validateUpdateClient } from './requestValidation';
import {
  CreatedOAuth2ClientSchema,
  IntrospectionResponseSchema,
  JwksSchema,
  OAuthClientUIConfigurationSchema,
  OAuthTokenResponseSchema,
  OpenIDConfigSchema,
  UserinfoResponseSchema,
  MintResultSchema,
  clientListAnswerCompiled,
  OAuth2ClientSchema,
  OidcTokenListSchema,
  PersonListSchema,
  RotatedSecretSchema,
  SubOrganizationIdsSchema,
  TokenResponseSchema,
  type CreateClientRequest,
  type CreatedOAuth2Client,
  type DiscoveryDocument,
  type IntrospectionResponse,
  type Jwks,
  type ListPersonsQuery,
  type MintResult,
  type MintTokensRequest,
  type OAuth2Client,
  type OAuthClientUIConfiguration,
  type OAuthTokenResponse,
  type OidcToken,
  type SsoTokensQuery,
  type SsoTokensRevokeRequest,
  type UserinfoResponse,
  type Person,
  type RotatedSecret,
  type TokenResponse,
  TOKEN_TYPE_HINTS,
  type TokenTypeHint,
  type UpdateClientRequest,
} from './schemas';

export type { RecordedRequest } from './recordedRequest';
export type { RetryOptions } from './transport';
export type { RequestLogEntry, SlashIdClientOptions } from './apiRequest';
export type { AuthorizationRequest } from './authorization';

/** How a client authenticates to the OAuth endpoints: with its secret (confidential), or without (public). */
export interface OAuthClientAuth {
  readonly clientId: string;
  /** Absent for a public client: it sends only `client_id`, never a secret or a Basic header. */
  readonly clientSecret?: string;
}

/**
 * The SlashID API client: one typed method per operation, every answer checked with zod, typed errors
 * (errors.ts) and a redacted record of the last request (for "Copy as curl").
 *
 * The operations live here; how a request is sent and answered lives in apiRequest.ts, and the HTTP
 * layer (an undici `Pool` per origin from a shared `PoolRegistry`, one deadline per attempt covering the
 * headers and the body, the byte cap, the retry rules) in transport.ts. Reads (GET) are retried as
 * contract.ts describes; writes are never replayed. No `vscode` import.
 *
 * Over 400 lines on purpose: one short method per operation of the API (about 25), each naming its path,
 * authentication and answer schema, is easier to find in one class than spread over several; all the
 * shared machinery is elsewhere.
 */

export class SlashIdClient {
  readonly baseUrl: string;
  readonly orgId: string;
  private readonly requests: ApiRequester;

  constructor(private readonly options: SlashIdClientOptions) {
    this.requests = new ApiRequester(options);
    this.baseUrl = this.requests.baseUrl;
    this.orgId = options.orgId;
  }

  /** The last request this client sent (or tried to), secrets redacted. */
  get lastRequest(): RecordedRequest | undefined {
    return this.requests.lastRequest;
  }

  /** A client for another organization (e.g. a sub-org) with the same key getter, options and pools. */
  withOrg(orgId: string): SlashIdClient {
    return new SlashIdClient({ ...this.options, orgId });
  }

  // -------------------------------------------------------------------------------------------------
  // OAuth2 clients

  /** `GET /oauth2/clients`: every client owned by the org (not its sub-orgs'), every field checked (see `clientListAnswerCompiled`). */
  async listClients(): Promise<OAuth2Client[]> {
    return await this.requests.send<OAuth2Client[]>({
      operation: 'listClients',
      method: 'GET',
      path: '/oauth2/clients',
      auth: 'apiKey',
      answer: 'envelope',
      compiled: clientListAnswerCompiled(),
    });
  }

  /** `GET /oauth2/clients/{id}`: 403 unless the org owns the client or is a parent of its owner. */
  async getClient(clientId: string): Promise<OAuth2Client> {
    this.requests.checkId('getClient', clientId);
    return await this.requests.send({
      operation: 'getClient',
      clientId,
      method: 'GET',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      answer: 'envelope',
      schema: OAuth2ClientSchema,
    });
  }

  /** `POST /oauth2/clients` (admin key). The answer carries the client secret, shown this once. Never retried. */
  async createClient(request: CreateClientRequest): Promise<CreatedOAuth2Client> {
    this.requests.checkBody('createClient', undefined, validateCreateClient(request));
    return await this.requests.send({
      operation: 'createClient',
      method: 'POST',
      path: '/oauth2/clients',
      auth: 'apiKey',
      body: { type: 'json', value: request },
      answer: 'envelope',
      schema: CreatedOAuth2ClientSchema,
      write: true,
    });
  }

  /** `PATCH /oauth2/clients/{id}` (admin key): only the fields given change. */
  async updateClient(clientId: string, patch: UpdateClientRequest): Promise<OAuth2Client> {
    this.requests.checkId('updateClient', clientId);
    this.requests.checkBody('updateClient', clientId, validateUpdateClient(patch));
    return await this.requests.send({
      operation: 'updateClient',
      clientId,
      method: 'PATCH',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      body: { type: 'json', value: patch },
      answer: 'envelope',
      schema: OAuth2ClientSchema,
      write: true,
    });
  }

  /** `DELETE /oauth2/clients/{id}` (admin key); SlashID revokes the client's tokens. */
  async deleteClient(clientId: string): Promise<void> {
    this.requests.checkId('deleteClient', clientId);
    await this.requests.send({
      operation: 'deleteClient',
      clientId,
      method: 'DELETE',
      path: `/oauth2/clients/${enc(clientId)}`,
      auth: 'apiKey',
      answer: 'none',
      write: true,
    });
  }

  /** `PUT /oauth2/clients/{id}/secret` (admin key): a new secret; the old one stops working at once. */
  async rotateClientSecret(clientId: string): Promise<RotatedSecret> {
    this.requests.checkId('rotateClientSecret', clientId);
    return await this.requests.send({
      operation: 'rotateClientSecret',
      clientId,
      method: 'PUT',
      path: `/oauth2/clients/${enc(clientId)}/secret`,
      auth: 'apiKey',
      answer: 'envelope',
      schema: RotatedSecretSchema,
      write: true,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Tokens

  /**
   * `POST /oauth2/tokens` with the client-credentials grant (HTTP Basic). `scopes`: a list (joined with
   * spaces) or an already joined string; none = the client's default. RFC 6749 errors: `OAuthError`.
   */
  async getClientCredentialsToken(clientId: string, clientSecret: string, scopes?: readonly string[] | string): Promise<TokenResponse> {
    const problems = clientAuthProblems(clientId, clientSecret);
    const scopeList = typeof scopes === 'string' ? scopes.split(/\s+/).filter(Boolean) : (scopes ?? []);
    scopeList.forEach((s, i) => {
      if (typeof s !== 'string' || !s || /\s/.test(s)) {
        problems.push({ field: `scope[${i}]`, message: 'must be a non-empty scope without spaces' });
      }
    });
    const fields: [string, string][] = [['grant_type', 'client_credentials']];
    if (scopeList.length > 0) {
      fields.push(['scope', scopeList.join(' ')]);
    }
    return await this.clientFormPost('getClientCredentialsToken', { clientId, clientSecret }, '/oauth2/tokens', fields, problems, {
      schema: TokenResponseSchema,
    });
  }

  /**
   * `POST /oauth2/tokens/introspect` (HTTP Basic with the client's credentials). With `scopes`, the
   * token is active only when it was granted every one of them (the spec's `scope` parameter).
   */
  async introspectToken(
    clientId: string,
    clientSecret: string,
    token: string,
    hint?: TokenTypeHint,
    scopes?: readonly string[],
  ): Promise<IntrospectionResponse> {
    const problems = clientAuthProblems(clientId, clientSecret);
    requireText(token, 'token', problems);
    hintProblems(hint, problems);
    if (scopes !== undefined) scopeProblems(scopes, problems);
    const fields: [string, string][] = [['token', token]];
    if (hint) {
      fields.push(['token_type_hint', hint]);
    }
    if (scopes !== undefined && scopes.length > 0) {
      fields.push(['scope', scopes.join(' ')]);
    }
    return await this.clientFormPost('introspectToken', { clientId, clientSecret }, '/oauth2/tokens/introspect', fields, problems, {
      schema: IntrospectionResponseSchema,
      secrets: [token],
    });
  }

  /** `POST /oauth2/tokens/mint`: tokens for a person; `openid` adds an ID token, `offline_access` a refresh token. */
  async mintTokens(request: MintTokensRequest): Promise<MintResult> {
    this.requests.checkBody('mintTokens', undefined, validateMintTokens(request));
    return await this.requests.send({
      operation: 'mintTokens',
      method: 'POST',
      path: '/oauth2/tokens/mint',
      auth: 'apiKey',
      body: { type: 'json', value: request },
      answer: 'envelope',
      schema: MintResultSchema,
    });
  }

  /** `GET /sso/oidc/tokens` with the token container of an SSO login in `SlashID-Token`. */
  async getOidcTokens(slashIdToken: string): Promise<OidcToken[]> {
    const problems: FieldProblem[] = [];
    requireText(slashIdToken, 'SlashID-Token', problems);
    this.requests.checkBody('getOidcTokens', undefined, problems);
    return await this.requests.send({
      operation: 'getOidcTokens',
      method: 'GET',
      path: '/sso/oidc/tokens',
      auth: 'apiKey',
      headers: { [SLASHID_TOKEN_HEADER]: slashIdToken.trim() },
      answer: 'envelope',
      schema: OidcTokenListSchema,
      secrets: [slashIdToken.trim()],
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Authorization-code flow, refresh, revocation, userinfo

  /**
   * The URL of `GET /oauth2/authorize` for this API (the browser opens it; nothing is sent here). PKCE
   * with S256 is always part of it (authorization.ts `createPkce`). Throws a RequestValidationError.
   */
  authorizationUrl(request: AuthorizationRequest): string {
    const built = authorizationUrl(this.baseUrl, request);
    if ('problems' in built) {
      this.requests.checkBody('authorize', typeof request.clientId === 'string' ? request.clientId : undefined, built.problems);
      throw new TypeError('unreachable: problems were reported');
    }
    return built.url;
  }

  /**
   * `POST /oauth2/tokens` with the authorization-code grant: the code, the same redirect URI, and the PKCE
   * verifier. A confidential client authenticates with HTTP Basic; a public client (no secret) sends only
   * `client_id` and must send the verifier.
   */
  async exchangeAuthorizationCode(request: {
    client: OAuthClientAuth;
    code: string;
    redirectUri: string;
    codeVerifier?: string;
  }): Promise<OAuthTokenResponse> {
    const { client, code, redirectUri, codeVerifier } = request;
    const problems = optionalSecretProblems(client);
    requireText(code, 'code', problems);
    requireText(redirectUri, 'redirect_uri', problems);
    if (codeVerifier !== undefined && !/^[A-Za-z0-9._~-]{43,128}$/.test(codeVerifier)) {
      problems.push({ field: 'code_verifier', message: 'must be 43 to 128 characters of A-Z, a-z, 0-9 and -._~ (RFC 7636)' });
    }
    if (codeVerifier === undefined && client.clientSecret === undefined) {
      problems.push({ field: 'code_verifier', message: 'is required for a public client (PKCE)' });
    }
    const fields: [string, string][] = [
      ['grant_type', 'authorization_code'],
      ['code', code],
      ['redirect_uri', redirectUri],
    ];
    if (codeVerifier !== undefined) fields.push(['code_verifier', codeVerifier]);
    return await this.clientFormPost('exchangeAuthorizationCode', client, '/oauth2/tokens', fields, problems, {
      schema: OAuthTokenResponseSchema,
      secrets: [code, ...(codeVerifier === undefined ? [] : [codeVerifier])],
      clientIdInBody: true,
    });
  }

  /** `POST /oauth2/tokens` with the refresh-token grant; `scopes` may narrow the grant, never widen it. */
  async refreshTokens(request: { client: OAuthClientAuth; refreshToken: string; scopes?: readonly string[] }): Promise<OAuthTokenResponse> {
    const { client, refreshToken, scopes } = request;
    const problems = optionalSecretProblems(client);
    requireText(refreshToken, 'refresh_token', problems);
    scopeProblems(scopes ?? [], problems);
    const fields: [string, string][] = [
      ['grant_type', 'refresh_token'],
      ['refresh_token', refreshToken],
    ];
    if (scopes !== undefined && scopes.length > 0) fields.push(['scope', scopes.join(' ')]);
    return await this.clientFormPost('refreshTokens', client, '/oauth2/tokens', fields, problems, {
      schema: OAuthTokenResponseSchema,
      secrets: [refreshToken],
    });
  }

  /** `POST /oauth2/tokens/revoke` (RFC 7009): succeeds for an unknown or already revoked token too. */
  async revokeToken(request: { client: OAuthClientAuth; token: string; tokenTypeHint?: TokenTypeHint }): Promise<void> {
    const { client, token, tokenTypeHint } = request;
    const problems = optionalSecretProblems(client);
    requireText(token, 'token', problems);
    hintProblems(tokenTypeHint, problems);
    const fields: [string, string][] = [['token', token]];
    if (tokenTypeHint) fields.push(['token_type_hint', tokenTypeHint]);
    await this.clientFormPost<undefined>('revokeToken', client, '/oauth2/tokens/revoke', fields, problems, { secrets: [token] });
  }

  /** `POST /oauth2/tokens/revoke-all` (confidential client): a person's tokens, or those issued before `until`. */
  async revokeAllTokens(request: { client: OAuthClientAuth; personId: string; until?: Date | string }): Promise<void> {
    const { client, personId, until } = request;
    const problems = clientAuthProblems(client.clientId, client.clientSecret ?? '');
    requireText(personId, 'person_id', problems);
    const untilText = until instanceof Date ? (Number.isNaN(until.getTime()) ? '' : until.toISOString()) : until;
    if (untilText !== undefined && (!RFC3339_DATE_TIME.test(untilText) || Number.isNaN(Date.parse(untilText)))) {
      problems.push({ field: 'until', message: 'must be an RFC 3339 date-time, e.g. 2026-01-31T12:00:00Z' });
    }
    const fields: [string, string][] = [['person_id', personId]];
    if (untilText !== undefined) fields.push(['until', untilText]);
    await this.clientFormPost<undefined>('revokeAllTokens', client, '/oauth2/tokens/revoke-all', fields, problems, {});
  }

  /** `GET` (or `POST`) `/oauth2/userinfo` with the access token as Bearer; it must have been granted `openid`. */
  async getUserinfo(accessToken: string, method: 'GET' | 'POST' = 'GET'): Promise<UserinfoResponse> {
    const problems: FieldProblem[] = [];
    requireText(accessToken, 'access_token', problems);
    this.requests.checkBody('getUserinfo', undefined, problems);
    return await this.requests.send({
      operation: 'getUserinfo',
      method,
      path: '/oauth2/userinfo',
      auth: { bearer: accessToken.trim() },
      answer: 'plain',
      schema: UserinfoResponseSchema,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Hosted-UI configuration of a client

  /** `GET /oauth2/clients/{id}/ui-configuration`. */
  async getUiConfiguration(clientId: string): Promise<OAuthClientUIConfiguration> {
    this.requests.checkId('getUiConfiguration', clientId);
    return await this.requests.send({
      operation: 'getUiConfiguration',
      clientId,
      method: 'GET',
      path: `/oauth2/clients/${enc(clientId)}/ui-configuration`,
      auth: 'apiKey',
      answer: 'envelope',
      schema: OAuthClientUIConfigurationSchema,
    });
  }

  /** `PUT /oauth2/clients/{id}/ui-configuration` (admin key): replaces the configuration; unknown fields are kept. */
  async updateUiConfiguration(clientId: string, configuration: OAuthClientUIConfiguration): Promise<OAuthClientUIConfiguration> {
    this.requests.checkId('updateUiConfiguration', clientId);
    const problems: FieldProblem[] = [];
    if (configuration === null || typeof configuration !== 'object' || Array.isArray(configuration)) {
      problems.push({ field: 'configuration', message: 'must be an object' });
    } else {
      const checked = OAuthClientUIConfigurationSchema.safeParse(configuration);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        problems.push({ field: formatIssuePath(issue.path), message: describeSchemaIssue(issue, configuration) });
      }
    }
    this.requests.checkBody('updateUiConfiguration', clientId, problems);
    return await this.requests.send({
      operation: 'updateUiConfiguration',
      clientId,
      method: 'PUT',
      path: `/oauth2/clients/${enc(clientId)}/ui-configuration`,
      auth: 'apiKey',
      body: { type: 'json', value: configuration },
      answer: 'envelope',
      schema: OAuthClientUIConfigurationSchema,
      write: true,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // SSO tokens of a person

  /** `POST /sso/oidc/tokens/query`: the OIDC tokens SSO logins issued to a person (filtered by login and type). */
  async querySsoTokens(query: SsoTokensQuery): Promise<OidcToken[]> {
    const problems: FieldProblem[] = [];
    requireText(query.person_id, 'person_id', problems);
    (query.authentication_ids ?? []).forEach((id, i) => requireText(id, `authentication_ids[${i}]`, problems));
    tokenTypeProblems(query.token_types, problems);
    this.requests.checkBody('querySsoTokens', undefined, problems);
    return await this.requests.send({
      operation: 'querySsoTokens',
      method: 'POST',
      path: '/sso/oidc/tokens/query',
      auth: 'apiKey',
      body: { type: 'json', value: query },
      answer: 'envelope',
      schema: OidcTokenListSchema,
    });
  }

  /** `POST /sso/oidc/tokens/revoke/v2` (204): the tokens of one SSO login of a person, all types unless given. */
  async revokeSsoTokens(request: SsoTokensRevokeRequest): Promise<void> {
    const problems: FieldProblem[] = [];
    requireText(request.person_id, 'person_id', problems);
    requireText(request.authentication_id, 'authentication_id', problems);
    tokenTypeProblems(request.token_types, problems);
    this.requests.checkBody('revokeSsoTokens', undefined, problems);
    await this.requests.send({
      operation: 'revokeSsoTokens',
      method: 'POST',
      path: '/sso/oidc/tokens/revoke/v2',
      auth: 'apiKey',
      body: { type: 'json', value: request },
      answer: 'none',
      write: true,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Persons, organizations, keys

  /** `GET /persons` (limit up to 1000). */
  async listPersons(query: ListPersonsQuery = {}): Promise<Person[]> {
    this.requests.checkBody('listPersons', undefined, validateListPersons(query));
    return await this.requests.send({
      operation: 'listPersons',
      method: 'GET',
      path: '/persons',
      query: { limit: query.limit, offset: query.offset, filter: query.filter, handle: query.handle },
      auth: 'apiKey',
      answer: 'envelope',
      schema: PersonListSchema,
    });
  }

  /**
   * `GET /persons` searching for what a user typed (an email address, a phone number with its country
   * code, a person ID or a username) with the SCIM filter personSearch.ts builds; blank text lists
   * everyone. Text that is none of these is refused before sending (a RequestValidationError).
   */
  async searchPersons(text: string, page: { limit?: number; offset?: number } = {}): Promise<Person[]> {
    const search = personSearchFilter(text);
    const problems: FieldProblem[] = [];
    if (search !== undefined && !search.ok) {
      problems.push({ field: 'search', message: `${JSON.stringify(inertText(text.trim(), 60))} ${search.problem}` });
    }
    const query: ListPersonsQuery = { ...page, ...(search?.ok ? { filter: search.filter } : {}) };
    problems.push(...validateListPersons(query));
    this.requests.checkBody('searchPersons', undefined, problems);
    return await this.requests.send({
      operation: 'searchPersons',
      method: 'GET',
      path: '/persons',
      query: { limit: query.limit, offset: query.offset, filter: query.filter },
      auth: 'apiKey',
      answer: 'envelope',
      schema: PersonListSchema,
    });
  }

  /** `GET /organizations/suborganizations`: IDs of the org's descendants. */
  async listSubOrganizations(): Promise<string[]> {
    return await this.requests.send({
      operation: 'listSubOrganizations',
      method: 'GET',
      path: '/organizations/suborganizations',
      auth: 'apiKey',
      answer: 'envelope',
      schema: SubOrganizationIdsSchema,
    });
  }

  /** `GET /.well-known/jwks.json` (public; no API key sent). */
  async getJwks(): Promise<Jwks> {
    return await this.requests.send({
      operation: 'getJwks',
      method: 'GET',
      path: JWKS_PATH,
      auth: 'none',
      answer: 'plain',
      schema: JwksSchema,
      maxBytes: MAX_JWKS_BYTES,
    });
  }

  /** `GET /.well-known/openid-configuration` (public; no API key sent), checked against the spec's `OpenIDConfig`. */
  async getDiscovery(): Promise<DiscoveryDocument> {
    return await this.requests.send({
      operation: 'getDiscovery',
      method: 'GET',
      path: DISCOVERY_PATH,
      auth: 'none',
      answer: 'plain',
      schema: OpenIDConfigSchema,
      maxBytes: MAX_DISCOVERY_BYTES,
    });
  }

  // -------------------------------------------------------------------------------------------------

  /**
   * The one home of a form POST to an OAuth endpoint as a client, answered with RFC 6749 errors
   * (`OAuthError`). A confidential client (a secret given) authenticates with HTTP Basic (RFC 6749
   * §2.3.1); a public client sends only `client_id` in the body, never a secret or a Basic header.
   * `clientIdInBody` adds `client_id` for confidential clients too (the authorization-code grant, as the
   * spec requires). Nothing is sent when `problems` has any; every secret is scrubbed from server text.
   */
  private async clientFormPost<T>(
    operation: Operation,
    client: OAuthClientAuth,
    path: string,
    fields: [string, string][],
    problems: readonly FieldProblem[],
    answer: { readonly schema?: z.ZodMiniType<T>; readonly secrets?: readonly string[]; readonly clientIdInBody?: boolean },
  ): Promise<T> {
    const { clientId, clientSecret } = client;
    this.requests.checkBody(operation, clientId, problems);
    const confidential = clientSecret !== undefined;
    const body: [string, string][] = !confidential || answer.clientIdInBody ? [...fields, ['client_id', clientId]] : fields;
    return await this.requests.send<T>({
      operation,
      clientId,
      method: 'POST',
      path,
      auth: confidential ? { basic: [clientId, clientSecret] } : 'none',
      body: { type: 'form', fields: body },
      answer: 'oauth',
      ...(answer.schema ? { schema: answer.schema } : {}),
      secrets: [...(confidential ? [clientSecret] : []), ...(answer.secrets ?? [])],
    });
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

/** A client ID and secret are both required (checked before anything is sent). */
function clientAuthProblems(clientId: string, clientSecret: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  requireText(clientId, 'client_id', problems);
  requireText(clientSecret, 'client_secret', problems);
  return problems;
}

/** A confidential client's secret, when given, must not be blank (absent: a public client). */
function optionalSecretProblems(client: OAuthClientAuth): FieldProblem[] {
  const problems: FieldProblem[] = [];
  requireText(client.clientId, 'client_id', problems);
  if (client.clientSecret !== undefined) requireText(client.clientSecret, 'client_secret', problems);
  return problems;
}

function scopeProblems(scopes: readonly string[], problems: FieldProblem[]): void {
  scopes.forEach((s, i) => {
    if (typeof s !== 'string' || !s || /\s/.test(s)) {
      problems.push({ field: `scope[${i}]`, message: 'must be a non-empty scope without spaces' });
    }
  });
}

function hintProblems(hint: string | undefined, problems: FieldProblem[]): void {
  if (hint !== undefined && !(TOKEN_TYPE_HINTS as readonly string[]).includes(hint)) {
    problems.push({ field: 'token_type_hint', message: `must be one of ${TOKEN_TYPE_HINTS.join(', ')}` });
  }
}

function tokenTypeProblems(types: readonly string[] | undefined, problems: FieldProblem[]): void {
  (types ?? []).forEach((t, i) => {
    if (t !== 'access' && t !== 'refresh' && t !== 'id')
      problems.push({ field: `token_types[${i}]`, message: 'must be access, refresh or id' });
  });
}
