import * as vscode from 'vscode';
import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { UserFacingError } from '../common/failures';
import { isOwnNode } from '../common/ownNodes';
import type { OrgConnection } from './connections';
import { rootTarget, shortId, type OrgTarget } from './orgTarget';

/** Asks which connected organization (root connections only). Undefined when cancelled. */
export async function pickConnection(services: Services, placeholder = 'Which organization?'): Promise<OrgConnection | undefined> {
  const all = services.connections.all();
  if (all.length === 0) {
    const choice = await services.ui.info('No SlashID organization is connected yet.', 'Connect Organization', 'Start Local Emulator');
    if (choice === 'Connect Organization') {
      await vscode.commands.executeCommand('slashid.orgs.connect');
    } else if (choice === 'Start Local Emulator') {
      await vscode.commands.executeCommand('slashid.emulator.start');
    }
    return undefined;
  }
  if (all.length === 1) {
    return all[0];
  }
  const picked = await services.ui.pick(
    all.map((c) => ({ label: c.name, description: c.environment, detail: `${c.orgId} · ${c.baseUrl}`, connection: c })),
    { placeholder: placeholder },
  );
  return picked?.connection;
}

/**
 * Asks which organization, including loaded sub-organizations. Undefined when cancelled.
 */
export async function pickOrgTarget(services: Services, placeholder = 'Which organization?'): Promise<OrgTarget | undefined> {
  const all = services.connections.all();
  if (all.length <= 1) {
    const connection = await pickConnection(services, placeholder);
    if (!connection) {
      return undefined;
    }
    const state = services.model.peek(rootTarget(connection));
    if (state.kind !== 'loaded' || state.subOrgIds.length === 0) {
      return rootTarget(connection);
    }
  }
  const items: (vscode.QuickPickItem & { target: OrgTarget })[] = [];
  for (const connection of all) {
    items.push({ label: connection.name, description: connection.environment, detail: connection.orgId, target: rootTarget(connection) });
    const state = services.model.peek(rootTarget(connection));
    if (state.kind === 'loaded') {
      for (const subOrgId of state.subOrgIds) {
        items.push({
          label: shortId(subOrgId),
          iconPath: new vscode.ThemeIcon('type-hierarchy-sub'),
          description: `sub-organization of ${connection.name}`,
          detail: subOrgId,
          target: { connection, orgId: subOrgId },
        });
      }
    }
  }
  const picked = await services.ui.pick(items, { placeholder: placeholder });
  return picked?.target;
}

/** Asks which client of the org, loading the list with progress. Undefined when cancelled. */
export async function pickClient(
  services: Services,
  target: OrgTarget,
  placeholder = 'Which OAuth2 client?',
  filter: (client: OAuth2Client) => boolean = () => true,
): Promise<OAuth2Client | undefined> {
  const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading OAuth2 clients…' }, () =>
    services.model.load(target),
  );
  if (state.kind === 'error') {
    throw new UserFacingError(state.message);
  }
  if (state.kind !== 'loaded') {
    return undefined;
  }
  const clients = state.clients.filter(filter);
  if (clients.length === 0) {
    void services.ui.info(`${target.connection.name} has no OAuth2 client that fits. Create one with "SlashID: Create OAuth2 Client".`);
    return undefined;
  }
  const picked = await services.ui.pick(
    clients.map((c) => ({
      label: c.client_name,
      description: c.grant_types.join(', '),
      detail: c.client_id,
      client: c,
    })),
    { placeholder: placeholder },
  );
  return picked?.client;
}

/**
 * The connection one of our own tree nodes names (see `isOwnNode`), read again from the stored connections;
 * undefined for anything else (then the command asks).
 */
export function connectionOf(services: Services, node: unknown): OrgConnection | undefined {
  if (!isOwnNode(node)) return undefined;
  const target = (node as { target?: { connection?: OrgConnection } }).target;
  return target?.connection ? services.connections.get(target.connection.id) : undefined;
}
