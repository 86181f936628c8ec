import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { rootTarget, describeTarget, type OrgTarget } from '../orgs/orgTarget';
import { inertText } from '../slashid/untrustedText';

/** Where a tool acts: a connected organization (by org ID or name) or a sub-organization of one. */
export async function findOrg(services: Services, org: string): Promise<{ target: OrgTarget } | { error: string }> {
  const connections = services.connections.all();
  if (connections.length === 0) {
    return {
      error:
        'No SlashID organization is connected: connect one with "SlashID: Connect Organization" or start the local emulator with "SlashID: Start Local Emulator".',
    };
  }
  const wanted = org.trim().toLowerCase();
  const byId = connections.filter((c) => c.orgId.toLowerCase() === wanted);
  const matches = byId.length > 0 ? byId : connections.filter((c) => c.name.trim().toLowerCase() === wanted);
  if (matches.length === 1) return { target: rootTarget(matches[0]) };
  if (matches.length > 1) {
    return {
      error: `More than one connection matches "${inertText(org, 80)}" (${matches.map((c) => `${inertText(c.name, 80)} in ${c.environment}`).join(', ')}), so the tool cannot tell which one is meant; give a name that only one of them has (rename one with "SlashID: Rename Organization").`,
    };
  }
  // A sub-organization: the one of a connection whose clients list names it.
  for (const connection of connections) {
    const state = await services.model.load(rootTarget(connection));
    if (state.kind === 'loaded' && state.subOrgIds.some((id) => id.toLowerCase() === wanted)) {
      return { target: { connection, orgId: state.subOrgIds.find((id) => id.toLowerCase() === wanted) ?? wanted } };
    }
  }
  const known = connections.map((c) => `${inertText(c.name, 80)} (${c.orgId})`).join(', ');
  return {
    error: `No connected SlashID organization has the ID or name "${inertText(org, 80)}"; the connected ones are ${known}. Use slashid_listOrganizations to see them.`,
  };
}

/** A client of the org, by ID (or by its exact name when only one client has it). */
export async function findClient(
  services: Services,
  target: OrgTarget,
  client: string,
): Promise<{ client: OAuth2Client } | { error: string }> {
  const state = await services.model.load(target);
  if (state.kind === 'error') return { error: state.message };
  if (state.kind !== 'loaded') return { error: 'The clients are not loaded yet; try again.' };
  const byId = state.clients.find((c) => c.client_id === client.trim());
  if (byId) return { client: byId };
  const byName = state.clients.filter((c) => c.client_name === client.trim());
  if (byName.length === 1) return { client: byName[0] };
  return {
    error: `${describeTarget(target)} has no OAuth2 client with the ID "${inertText(client, 80)}"${byName.length > 1 ? ' (several clients have that name: use the client ID)' : ''}. Use slashid_listClients to see its clients.`,
  };
}

/** What the chat may know of a client: never a secret, server text made inert. */
export function clientSummary(client: OAuth2Client): Record<string, unknown> {
  return {
    clientId: inertText(client.client_id, 200),
    name: inertText(client.client_name, 200),
    grantTypes: client.grant_types.slice(0, 20).map((g) => inertText(g, 60)),
  };
}

export function clientDetails(client: OAuth2Client, hasStoredSecret: boolean): Record<string, unknown> {
  return {
    ...clientSummary(client),
    scopes: client.scopes.slice(0, 100).map((s) => inertText(s, 200)),
    public: client.public,
    redirectUris: (client.redirect_uris ?? []).slice(0, 50).map((u) => inertText(u, 300)),
    ...(client.response_types ? { responseTypes: client.response_types.slice(0, 20).map((r) => r.map((t) => inertText(t, 60))) } : {}),
    ...(client.access_token_duration !== undefined ? { accessTokenDurationSeconds: client.access_token_duration } : {}),
    ...(client.refresh_token_duration !== undefined ? { refreshTokenDurationSeconds: client.refresh_token_duration } : {}),
    ...(client.created_at ? { createdAt: inertText(client.created_at, 60) } : {}),
    ...(client.last_used ? { lastUsed: inertText(client.last_used, 60) } : {}),
    secretStoredInVsCode: hasStoredSecret,
  };
}

/** `{ org: …, orgId: … }` for a reply. */
export function orgOf(target: OrgTarget): { org: string; orgId: string } {
  return { org: inertText(describeTarget(target), 120), orgId: inertText(target.orgId, 80) };
}
