import { z } from 'zod';
import { createClientSchema, updateClientSchema } from '../clientFields';
import { ApiError, envelope, noContent, parseJson, validateBody, type Reply } from '../http';
import { authenticateOrg, type OrgCaller } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { publicClient, responseTypesFor, type ClientRecord } from '../state';

/**
 * The client returned by an ID, when the caller's org owns it or is one of its owner's parents:
 * 404 for an unknown client, 403 for a client of an unrelated org (or of a sub-org's sibling).
 */
export function visibleClient(ctx: RouteContext, caller: OrgCaller, clientId: string): ClientRecord {
  const client = ctx.state.clients.get(clientId);
  if (!client) {
    throw new ApiError(404, 'No OAuth2 client with this ID.');
  }
  if (!ctx.state.isSelfOrAncestor(caller.orgId, client.org_id)) {
    throw new ApiError(403, 'The organization is neither the owner of this client nor a parent of its owner.');
  }
  return client;
}

function checkPublicGrants(isPublic: boolean, grantTypes: readonly string[]): void {
  if (isPublic && grantTypes.includes('client_credentials')) {
    throw new ApiError(400, 'Invalid grant_types: a public client cannot use the client_credentials grant (it needs a secret).');
  }
}

/** GET /oauth2/clients — every client owned by the header org (sub-orgs' clients are not included). */
function listClients(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  const result = [];
  for (const client of ctx.state.clients.values()) {
    if (client.org_id === caller.orgId) result.push(publicClient(client));
  }
  return envelope(result, 200, { pagination: { limit: result.length, offset: 0, total_count: result.length } });
}

/** POST /oauth2/clients — 201 with the client and its secret (shown only here). */
async function createClient(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const input = validateBody(createClientSchema, parseJson(await ctx.body()));
  checkPublicGrants(input.public, input.grant_types);
  const { client, secret } = ctx.state.addClient({ org_id: caller.orgId, ...input });
  await ctx.state.persist();
  return envelope({ ...publicClient(client), client_secret: secret }, 201);
}

function getClient(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  return envelope(publicClient(visibleClient(ctx, caller, ctx.params.id)));
}

async function updateClient(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const input = validateBody(updateClientSchema, parseJson(await ctx.body()) ?? {});
  const client = visibleClient(ctx, caller, ctx.params.id);
  checkPublicGrants(client.public, input.grant_types ?? client.grant_types);
  if (input.client_name !== undefined) client.client_name = input.client_name;
  if (input.grant_types !== undefined) client.grant_types = input.grant_types;
  if (input.scopes !== undefined) client.scopes = input.scopes;
  if (input.access_token_duration !== undefined) client.access_token_duration = input.access_token_duration;
  if (input.refresh_token_duration !== undefined) client.refresh_token_duration = input.refresh_token_duration;
  if (input.redirect_uris !== undefined) client.redirect_uris = input.redirect_uris;
  client.response_types = responseTypesFor(client.grant_types, client.scopes);
  await ctx.state.persist();
  return envelope(publicClient(client));
}

/** DELETE — 204; the client's secret and every token issued to it stop working. */
async function deleteClient(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const client = visibleClient(ctx, caller, ctx.params.id);
  ctx.state.deleteClient(client.client_id);
  await ctx.state.persist();
  return noContent();
}

/** PUT …/secret — a new secret; the old one stops working at once (tokens already issued stay valid). */
async function rotateSecret(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const client = visibleClient(ctx, caller, ctx.params.id);
  const secret = ctx.state.rotateSecret(client);
  await ctx.state.persist();
  return envelope({ client_secret: secret });
}

/** The spec's `OAuthClientUIConfiguration`: the known fields typed, any other field kept as given. */
const uiConfigurationSchema = z.looseObject({
  dynamicFlowConfig: z.record(z.string(), z.unknown()).optional(),
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

/** GET …/ui-configuration — the client's hosted-UI configuration (`{}` until one is PUT). */
function getUiConfiguration(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  return envelope(visibleClient(ctx, caller, ctx.params.id).ui_configuration ?? {});
}

/** PUT …/ui-configuration — replaces the configuration (unknown fields kept); 201 with it, as the spec says. */
async function putUiConfiguration(ctx: RouteContext): Promise<Reply> {
  const caller = authenticateOrg(ctx, 'write');
  const raw = parseJson(await ctx.body());
  if (raw !== null && typeof raw === 'object' && Object.prototype.hasOwnProperty.call(raw, '__proto__')) {
    throw new ApiError(400, 'Invalid UI configuration: __proto__ is not allowed as a field name.');
  }
  const input = validateBody(uiConfigurationSchema, raw);
  const client = visibleClient(ctx, caller, ctx.params.id);
  client.ui_configuration = input;
  await ctx.state.persist();
  return envelope(input, 201);
}

export const clientRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/oauth2/clients', handler: listClients },
  { method: 'POST', pattern: '/oauth2/clients', handler: createClient, json: true },
  { method: 'GET', pattern: '/oauth2/clients/:id', handler: getClient },
  { method: 'PATCH', pattern: '/oauth2/clients/:id', handler: updateClient, json: true },
  { method: 'DELETE', pattern: '/oauth2/clients/:id', handler: deleteClient },
  { method: 'PUT', pattern: '/oauth2/clients/:id/secret', handler: rotateSecret },
  { method: 'GET', pattern: '/oauth2/clients/:id/ui-configuration', handler: getUiConfiguration },
  { method: 'PUT', pattern: '/oauth2/clients/:id/ui-configuration', handler: putUiConfiguration, json: true },
];
