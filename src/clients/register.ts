import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { ReadOnlyDocuments } from './readOnlyDocuments';
import { createClient } from './commands/createClient';
import { rotateClientSecret } from './commands/rotateClientSecret';
import { deleteClient } from './commands/deleteClient';
import { showClient } from './commands/showClient';
import { editClient } from './commands/editClient';
import { storeClientSecret } from './commands/storeClientSecret';
import { getClientCredentialsToken } from './commands/getClientCredentialsToken';
import { copyClientId } from './commands/copyClientId';
import { copyClientSecret } from './commands/copyClientSecret';
import { copyDetailValue } from './commands/copyDetailValue';
import { copyLastRequestAsCurl } from './commands/copyLastRequestAsCurl';
import type { TreeNode } from './treeNodes';
import { ownDetail, ownTarget, resolveTarget } from './commandArgs';

/** The clients view and every client command. */
export function registerClients(services: Services): void {
  const { context, tree } = services;
  services.shell.clientsView<TreeNode>(tree);
  const docs = new ReadOnlyDocuments();
  services.shell.readOnlyDocuments(docs);
  context.subscriptions.push(docs);

  registerCommand(services, 'slashid.clients.refreshAll', () => tree.refresh());
  registerCommand(services, 'slashid.clients.refresh', async (node?: unknown) => {
    const target = await resolveTarget(services, node, 'Refresh which organization?');
    if (target) {
      tree.refresh(target);
    }
  });
  registerCommand(services, 'slashid.tree.retry', (node?: unknown) => tree.refresh(ownTarget(services, node)));
  registerCommand(services, 'slashid.tree.copyValue', (node?: unknown) => copyDetailValue(ownDetail(node)));
  registerCommand(services, 'slashid.clients.create', (node?: unknown) => createClient(services, node));
  registerCommand(services, 'slashid.clients.rotateSecret', (node?: unknown) => rotateClientSecret(services, node));
  registerCommand(services, 'slashid.clients.delete', (node?: unknown) => deleteClient(services, node));
  registerCommand(services, 'slashid.clients.show', (node?: unknown) => showClient(services, docs, node));
  registerCommand(services, 'slashid.clients.edit', (node?: unknown) => editClient(services, node));
  registerCommand(services, 'slashid.clients.copyId', (node?: unknown) => copyClientId(services, node));
  registerCommand(services, 'slashid.clients.copySecret', (node?: unknown) => copyClientSecret(services, node));
  registerCommand(services, 'slashid.clients.storeSecret', (node?: unknown) => storeClientSecret(services, node));
  registerCommand(services, 'slashid.clients.getToken', (node?: unknown) => getClientCredentialsToken(services, docs, node));
  registerCommand(services, 'slashid.requests.copyAsCurl', () => copyLastRequestAsCurl(services));
}
