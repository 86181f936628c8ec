import { z } from 'zod';
import { InvalidFaultError, faultSchema, routeKeySchema } from '../faults';
import { ApiError, envelope, noContent, parseJson, validateBody, type Reply } from '../http';
import { authenticateOrg } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { SsoLoginError } from '../ssoLogins';
import { SSO_PROVIDERS } from '../types';

/*
 * Test-only routes under /__emulator/, for users outside the emulator's process. They are never
 * faulted. The demo org's credentials, the faults and the request log need the emulator's control key
 * (`SlashID-Emulator-Key`, see server.ts): any local account can reach 127.0.0.1. Creating an SSO login
 * needs the org's admin API key. An emulator started with `controlRoutes: 'off'` (the one inside VS
 * Code) serves none of them but the providers' public keys.
 */

const ssoLoginSchema = z.object({
  org_id: z.string({ error: 'is required' }),
  person_id: z.string({ error: 'is required' }),
  provider: z.string({ error: 'is required' }),
  expires_in: z.number().int().optional(),
});

/**
 * POST /__emulator/sso-logins {org_id, person_id, provider, expires_in?} -> 201 {result: {token}}, with
 * the `SlashID-OrgID` and admin `SlashID-API-Key` of `org_id` (401/403 as the org routes; 400 when the
 * body names another org). `expires_in` is at most one day either way (400 otherwise).
 */
async function createSsoLogin(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const input = validateBody(ssoLoginSchema, parseJson(await ctx.body()));
  if (input.org_id !== caller.orgId) {
    throw new ApiError(400, 'Invalid org_id: it must be the organization named in the SlashID-OrgID header.');
  }
  try {
    return envelope({ token: await ctx.ssoLogins.create(input) }, 201);
  } catch (err) {
    if (err instanceof SsoLoginError) throw new ApiError(err.status, err.message);
    throw err;
  }
}

/** PUT /__emulator/faults {route, ...Fault} -> 204. */
async function setFault(ctx: RouteContext): Promise<Reply> {
  const body = validateBody(z.object({ route: routeKeySchema }).passthrough(), parseJson(await ctx.body()));
  const { route, ...fault } = body;
  validateBody(faultSchema, fault, 'fault');
  try {
    ctx.faults.set(route, fault);
  } catch (err) {
    if (err instanceof InvalidFaultError) throw new ApiError(400, err.message);
    throw err;
  }
  return noContent();
}

/** DELETE /__emulator/faults[?route=KEY] -> 204: clears one route's fault, or all. */
function clearFaults(ctx: RouteContext): Reply {
  const route = ctx.url.searchParams.get('route');
  ctx.faults.clear(route ?? undefined);
  return noContent();
}

/** GET /__emulator/requests -> {result: RecordedRequest[]}. */
function listRequests(ctx: RouteContext): Reply {
  return envelope(ctx.requests.entries);
}

/**
 * GET /__emulator/demo -> the demo org's credentials (404 when the emulator runs without the demo).
 * The extension uses it to connect to an emulator started outside VS Code.
 */
function demoOrg(ctx: RouteContext): Reply {
  const demo = ctx.demo;
  if (!demo) {
    throw new ApiError(404, 'This emulator runs without the demo organization.');
  }
  return envelope({
    org_id: demo.orgId,
    api_key: demo.apiKey,
    sub_org_id: demo.subOrgId,
    person_ids: demo.personIds,
    client_ids: demo.clientIds,
  });
}

/** GET /__emulator/providers/:provider/jwks.json — the key that signs that provider's ID tokens (issuer `…/__emulator/providers/:provider`). */
function providerJwks(ctx: RouteContext): Reply {
  const provider = ctx.params.provider;
  if (!(SSO_PROVIDERS as readonly string[]).includes(provider)) {
    throw new ApiError(404, `Unknown provider; the emulator knows ${SSO_PROVIDERS.join(', ')}.`);
  }
  const record = ctx.state.providers.get(provider as (typeof SSO_PROVIDERS)[number]);
  return { status: 200, body: { keys: record ? [record.key.publicJwk] : [] } };
}

export const controlRoutes: RouteDefinition[] = [
  { method: 'POST', pattern: '/__emulator/sso-logins', handler: createSsoLogin, control: true, testOnly: true, json: true },
  { method: 'PUT', pattern: '/__emulator/faults', handler: setFault, control: true, keyed: true, json: true },
  { method: 'DELETE', pattern: '/__emulator/faults', handler: clearFaults, control: true, keyed: true },
  { method: 'GET', pattern: '/__emulator/requests', handler: listRequests, control: true, keyed: true },
  { method: 'GET', pattern: '/__emulator/demo', handler: demoOrg, control: true, keyed: true },
  { method: 'GET', pattern: '/__emulator/providers/:provider/jwks.json', handler: providerJwks, control: true },
];
