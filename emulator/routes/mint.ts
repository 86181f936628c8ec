import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isReservedClaim } from '../../src/tokens/reservedClaims';
import { ApiError, envelope, parseJson, validateBody, type Reply } from '../http';
import { authenticateOrg, checkConsistency } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { opaqueToken } from '../signingKey';
import { REFRESH_TOKEN_PREFIX, jwtTokenKey, opaqueTokenKey } from '../grantTokens';
import { visibleClient } from './clients';
import type { TokenRecord } from '../state';

const mintSchema = z.object({
  person_id: z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty'),
  client_id: z.string({ error: 'is required and must be a string' }).min(1, 'must not be empty'),
  scopes: z.array(z.string({ error: 'must be a string' }), { error: 'must be an array of strings' }).optional(),
  custom_claims: z.unknown().optional(),
});

/**
 * `custom_claims` as given: a JSON object whose keys are none of the 36 reserved names (exact match,
 * dotted ones included) and not `__proto__`. The object is used as parsed (never rebuilt key by key),
 * so no key can reach an object's prototype.
 */
function customClaims(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, 'Invalid custom_claims: must be a JSON object of claim names to values.');
  }
  const keys = Object.keys(value);
  const reserved = keys.filter(isReservedClaim);
  if (reserved.length > 0) {
    throw new ApiError(
      400,
      `Invalid custom_claims: reserved claim${reserved.length > 1 ? 's' : ''} cannot be set: ${reserved.join(', ')}.`,
    );
  }
  if (keys.includes('__proto__')) {
    throw new ApiError(400, 'Invalid custom_claims: __proto__ is not allowed as a claim name.');
  }
  return value as Record<string, unknown>;
}

/** The object with its keys in alphabetical order (the order SlashID's documented payload shows). */
function sortedKeys(payload: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(payload).sort()) {
    Object.defineProperty(out, key, { value: payload[key], enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * POST /oauth2/tokens/mint — tokens for a person of the header org, for a client the org can see.
 * The access token's payload is exactly `authenticated_methods: ["api"]`, the custom claims, `exp`
 * (iat + the client's access_token_duration), `first_token: false`, `iat`, `iss`, `jti`, `oid`,
 * `person_id`. `openid` adds an ID token (aud = client_id, sub = person_id, same lifetime; custom claims
 * go only into the access token, as the docs describe "the token"); `offline_access` adds an opaque
 * refresh token. Requested scopes must be among the client's scopes. Member API keys may mint.
 */
async function mintTokens(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'read');
  checkConsistency(ctx);
  const input = validateBody(mintSchema, parseJson(await ctx.body()));
  const claims = customClaims(input.custom_claims);
  const person = ctx.state.persons.get(input.person_id);
  if (!person || person.org_id !== caller.orgId) {
    throw new ApiError(404, 'No person with this ID in the organization.');
  }
  const client = visibleClient(ctx, caller, input.client_id);
  const scopes = [...new Set(input.scopes ?? [])];
  const notAllowed = scopes.filter((s) => !client.scopes.includes(s));
  if (notAllowed.length > 0) {
    throw new ApiError(
      400,
      `Invalid scopes: the client does not allow ${notAllowed.map((s) => JSON.stringify(s.slice(0, 64))).join(', ')}.`,
    );
  }
  const startedMs = Date.now();
  const iat = Math.floor(startedMs / 1000);
  const exp = iat + client.access_token_duration;
  const scope = scopes.join(' ');
  const record = { client_id: client.client_id, org_id: caller.orgId, person_id: person.person_id, scope, iat, exp };

  const accessJti = randomUUID();
  const accessPayload = sortedKeys({
    ...claims,
    authenticated_methods: ['api'],
    exp,
    first_token: false,
    iat,
    iss: ctx.issuer,
    jti: accessJti,
    oid: caller.orgId,
    person_id: person.person_id,
  });
  const result: { access_token: string; id_token?: string; refresh_token?: string } = {
    access_token: await ctx.state.signingKey.sign(accessPayload),
  };
  // Recorded all at once after the signing, unless a revoke-all for the client and person came meanwhile.
  const issued: Array<[string, TokenRecord]> = [[jwtTokenKey(accessJti), { kind: 'access', ...record }]];

  if (scopes.includes('openid')) {
    const idJti = randomUUID();
    result.id_token = await ctx.state.signingKey.sign({
      aud: client.client_id,
      authenticated_methods: ['api'],
      exp,
      iat,
      iss: ctx.issuer,
      jti: idJti,
      oid: caller.orgId,
      person_id: person.person_id,
      sub: person.person_id,
    });
    issued.push([jwtTokenKey(idJti), { kind: 'id', ...record }]);
  }
  if (scopes.includes('offline_access')) {
    const refreshToken = opaqueToken(REFRESH_TOKEN_PREFIX);
    result.refresh_token = refreshToken;
    issued.push([opaqueTokenKey(refreshToken), { kind: 'refresh', ...record, exp: iat + client.refresh_token_duration }]);
  }
  if (ctx.state.revokedAllSince(client.client_id, person.person_id, startedMs)) {
    throw new ApiError(400, "The person's tokens were revoked (revoke-all) while these were minted; mint again.");
  }
  for (const [key, value] of issued) ctx.state.tokens.set(key, value);
  client.last_used = new Date(iat * 1000).toISOString();
  await ctx.state.persist();
  return envelope(result);
}

export const mintRoutes: RouteDefinition[] = [{ method: 'POST', pattern: '/oauth2/tokens/mint', handler: mintTokens, json: true }];
