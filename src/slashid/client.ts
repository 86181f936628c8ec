import { ApiRequester, requireText, type SlashIdClientOptions } from './apiRequest';
import { DISCOVERY_PATH, JWKS_PATH, MAX_DISCOVERY_BYTES, MAX_JWKS_BYTES, SLASHID_TOKEN_HEADER } from './contract';
import type * as z from 'zod/mini';
import type { FieldProblem, Operation } from './errors';
import type { RecordedRequest } from './recordedRequest';
import { validateCreateClient, validateListPersons, validateMintTokens, validateUpdateClient } from './requestValidation';
import {
  CreatedOAuth2ClientSchema,
  DiscoveryDocumentSchema,
  IntrospectionResponseSchema,
  JwksSchema,
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
  type OidcToken,
  type Person,
  type RotatedSecret,
  type TokenResponse,
  type TokenTypeHint,
  type UpdateClientRequest,
} from './schemas';

export type { RecordedRequest } from './recordedRequest';
export { parseRetryAfter, type RetryOptions } from './transport';
export type { RequestLogEntry, SlashIdClientOptions } from './apiRequest';

/**
 * The SlashID API client: one typed method per operation, every answer checked with zod, typed errors
 * (errors.ts) and a redacted record of the last request (for "Copy as curl").
 *
 * The operations live here; how a request is sent and answered lives in apiRequest.ts, and the HTTP
 * layer (an undici `Pool` per origin from a shared `PoolRegistry`, one deadline per attempt covering the
 * headers and the body, the byte cap, the retry rules) in transport.ts. Reads (GET) are retried as
 * contract.ts describes; writes are never replayed. No `vscode` import.
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
    return await this.clientFormPost('getClientCredentialsToken', [clientId, clientSecret], '/oauth2/tokens', fields, problems, {
      schema: TokenResponseSchema,
    });
  }

  /** `POST /oauth2/tokens/introspect` (HTTP Basic with the client's credentials). */
  async introspectToken(clientId: string, clientSecret: string, token: string, hint?: TokenTypeHint): Promise<IntrospectionResponse> {
    const problems = clientAuthProblems(clientId, clientSecret);
    requireText(token, 'token', problems);
    if (hint !== undefined && hint !== 'access_token' && hint !== 'refresh_token') {
      problems.push({ field: 'token_type_hint', message: 'must be access_token or refresh_token' });
    }
    const fields: [string, string][] = [['token', token]];
    if (hint) {
      fields.push(['token_type_hint', hint]);
    }
    return await this.clientFormPost('introspectToken', [clientId, clientSecret], '/oauth2/tokens/introspect', fields, problems, {
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
  // Persons, organizations, keys

  /** `GET /persons` (limit up to 1000). */
  async listPersons(query: ListPersonsQuery = {}): Promise<Person[]> {
    this.requests.checkBody('listPersons', undefined, validateListPersons(query));
    return await this.requests.send({
      operation: 'listPersons',
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

  /** `GET /.well-known/openid-configuration` (public; no API key sent). */
  async getDiscovery(): Promise<DiscoveryDocument> {
    return await this.requests.send({
      operation: 'getDiscovery',
      method: 'GET',
      path: DISCOVERY_PATH,
      auth: 'none',
      answer: 'plain',
      schema: DiscoveryDocumentSchema,
      maxBytes: MAX_DISCOVERY_BYTES,
    });
  }

  // -------------------------------------------------------------------------------------------------

  /**
   * The one home of a form POST to an OAuth endpoint authenticated as a client with HTTP Basic
   * (RFC 6749 §2.3.1), answered with RFC 6749 errors (`OAuthError`). Nothing is sent when `problems` has
   * any; the client secret and `answer.secrets` are scrubbed from server text.
   */
  private async clientFormPost<T>(
    operation: Operation,
    [clientId, clientSecret]: readonly [clientId: string, clientSecret: string],
    path: string,
    fields: [string, string][],
    problems: readonly FieldProblem[],
    answer: { readonly schema: z.ZodMiniType<T>; readonly secrets?: readonly string[] },
  ): Promise<T> {
    this.requests.checkBody(operation, clientId, problems);
    return await this.requests.send({
      operation,
      clientId,
      method: 'POST',
      path,
      auth: { basic: [clientId, clientSecret] },
      body: { type: 'form', fields },
      answer: 'oauth',
      schema: answer.schema,
      secrets: [clientSecret, ...(answer.secrets ?? [])],
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
