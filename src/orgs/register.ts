import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { connectOrganization } from './commands/connectOrganization';
import { disconnectOrganization } from './commands/disconnectOrganization';
import { renameOrganization } from './commands/renameOrganization';
import { replaceApiKey } from './commands/replaceApiKey';

/** Organization commands, and the `slashid.hasOrgs` context key the welcome view and menus use. */
export function registerOrganizations(services: Services): void {
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'slashid.hasOrgs', services.connections.all().length > 0);
  updateContext();
  services.context.subscriptions.push(services.connections.onDidChange(updateContext));

  registerCommand(services, 'slashid.orgs.connect', () => connectOrganization(services));
  registerCommand(services, 'slashid.orgs.disconnect', (node?: unknown) => disconnectOrganization(services, node));
  registerCommand(services, 'slashid.orgs.rename', (node?: unknown) => renameOrganization(services, node));
  registerCommand(services, 'slashid.orgs.replaceKey', (node?: unknown) => replaceApiKey(services, node));
  registerCommand(services, 'slashid.log.show', () => services.log.show());
}
