import { createHash, randomUUID } from 'node:crypto';
import { EMULATOR_SIGN_IN_METHODS, MAX_TOKENS_PER_PUBLIC_CLIENT } from '../src/slashid/contract';
import { OAuthError, type Reply } from './http';
import { opaqueToken } from './signingKey';
import type { ClientRecord, EmulatorState, PersonRecord, TokenRecord } from './state';

export const ACCESS_TOKEN_PREFIX = 'sid_at_';
export const REFRESH_TOKEN_PREFIX = 'sid_rt_';
/** `authenticated_methods` of tokens from the authorization-code flow (the emulator's sign-in page or `login_hint`). */
export const SIGN_IN_METHODS: string[] = [...EMULATOR_SIGN_IN_METHODS];

/** The key of an opaque token's record (only its hash is kept). */
export function opaqueTokenKey(token: string): string {
  return `sha256:${createHash('sha256').update(token).digest('hex')}`;
}

/** The key of a JWT's record. */
export function jwtTokenKey(jti: string): string {
  return `jti:${jti}`;
}

/** OIDC Core §3.1.3.6: the left half of the SHA-256 of the access token, base64url. */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** OIDC Core §3.3.2.11: `c_hash` / `s_hash`, the same left-half SHA-256 as `at_hash`. */
export const halfHash = atHash;

export interface IdTokenInput {
  state: EmulatorState;
  issuer: string;
  client: ClientRecord;
  person: PersonRecord;
  authTime: number;
  /** Record fields of the ID token (scope, grant). */
  record: Omit<TokenRecord, 'kind' | 'iat' | 'exp'>;
  nonce?: string;
  /** `at_hash`, `c_hash`, `s_hash` as they apply. */
  hashes: Record<string, string>;
}

/** A token signed and the record its caller keeps for it (an ID token is recorded so that it never introspects as active). */
export interface SignedToken {
  token: string;
  key: string;
  record: TokenRecord;
}

/** A signed ID token and its record (the caller records it). */
export async function signIdToken(input: IdTokenInput): Promise<SignedToken> {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + input.client.access_token_duration;
  const jti = randomUUID();
  const token = await input.state.signingKey.sign({
    iss: input.issuer,
    sub: input.person.person_id,
    aud: input.client.client_id,
    azp: input.client.client_id,
    exp,
    iat,
    auth_time: input.authTime,
    ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
    ...input.hashes,
    authenticated_methods: SIGN_IN_METHODS,
    jti,
    oid: input.client.org_id,
    person_id: input.person.person_id,
  });
  return { token, key: jwtTokenKey(jti), record: { kind: 'id', ...input.record, iat, exp } };
}

export interface GrantTokensInput {
  state: EmulatorState;
  issuer: string;
  client: ClientRecord;
  person: PersonRecord;
  /** Granted scopes of these tokens. */
  scopes: string[];
  /** Scope of a new refresh token (the grant's original scope; a refresh never widens it). */
  refreshScopes: string[];
  grantId: string;
  authTime: number;
  nonce?: string;
}

/**
 * The tokens of an authorization-code or refresh grant (the spec's `PostOAuth2TokenResponse*`): a JWT
 * access token with the claims of minted ones plus `scope` and `client_id`; an ID token when `openid`
 * is granted (`iss`, `sub`, `aud`, `exp`, `iat`, `auth_time`, `at_hash`, `nonce` when the request had
 * one, `azp`, `jti`, `oid`, `person_id`); an opaque refresh token when `offline_access` is granted.
 * Every token is recorded with the grant's ID, all at once after the signing: when the grant was
 * revoked meanwhile (its code or refresh token was replayed while these were signed), or a revoke-all
 * for the client and person came, nothing is recorded and the request fails with `invalid_grant`. The caller persists the state.
 */
export async function issueGrantTokens(input: GrantTokensInput): Promise<Reply> {
  const { state, client, person } = input;
  const startedMs = Date.now();
  const iat = Math.floor(startedMs / 1000);
  const exp = iat + client.access_token_duration;
  const scope = input.scopes.join(' ');
  const base: Omit<TokenRecord, 'kind'> = {
    client_id: client.client_id,
    org_id: client.org_id,
    person_id: person.person_id,
    scope,
    iat,
    exp,
    grant_id: input.grantId,
    auth_time: input.authTime,
  };
  const accessJti = randomUUID();
  const accessToken = await state.signingKey.sign({
    authenticated_methods: SIGN_IN_METHODS,
    client_id: client.client_id,
    exp,
    first_token: false,
    iat,
    iss: input.issuer,
    jti: accessJti,
    oid: client.org_id,
    person_id: person.person_id,
    scope,
  });
  const issued: Array<[string, TokenRecord]> = [[jwtTokenKey(accessJti), { kind: 'access', ...base }]];
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: client.access_token_duration,
    scope,
  };
  if (input.scopes.includes('openid')) {
    const idToken = await signIdToken({
      state,
      issuer: input.issuer,
      client,
      person,
      authTime: input.authTime,
      record: base,
      ...(input.nonce !== undefined ? { nonce: input.nonce } : {}),
      hashes: { at_hash: atHash(accessToken) },
    });
    body.id_token = idToken.token;
    issued.push([idToken.key, idToken.record]);
  }
  if (input.refreshScopes.includes('offline_access')) {
    const refreshToken = opaqueToken(REFRESH_TOKEN_PREFIX);
    body.refresh_token = refreshToken;
    issued.push([
      opaqueTokenKey(refreshToken),
      { kind: 'refresh', ...base, scope: input.refreshScopes.join(' '), exp: iat + client.refresh_token_duration },
    ]);
  }
  if (state.grantRevoked(input.grantId)) {
    throw new OAuthError(
      400,
      'invalid_grant',
      'The grant was revoked while these tokens were issued: its code or refresh token was used twice.',
    );
  }
  if (state.revokedAllSince(client.client_id, person.person_id, startedMs)) {
    throw new OAuthError(400, 'invalid_grant', "The person's tokens were revoked (revoke-all) while these were issued.");
  }
  for (const [key, record] of issued) state.tokens.set(key, record);
  if (client.public) dropOldestTokens(state, client.client_id);
  client.last_used = new Date(iat * 1000).toISOString();
  return { status: 200, body, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' } };
}

/**
 * Keeps at most contract.ts `MAX_TOKENS_PER_PUBLIC_CLIENT` token records for a public client (which needs
 * no secret to get tokens), dropping its oldest first (the map keeps records in the order they were made).
 */
function dropOldestTokens(state: EmulatorState, clientId: string): void {
  let count = 0;
  for (const record of state.tokens.values()) if (record.client_id === clientId) count++;
  for (const [key, record] of state.tokens) {
    if (count <= MAX_TOKENS_PER_PUBLIC_CLIENT) break;
    if (record.client_id !== clientId) continue;
    state.tokens.delete(key);
    count--;
  }
}
