import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import type { MintController } from './mintController';
import { ownClient } from '../clients/commandArgs';

/**
 * "SlashID: Open Token Minter" (palette, and a client's context menu with that client selected), and the
 * serializer that restores the minter's form after a window reload.
 *
 * The command resolves with the panel's host-side controller: extension-host tests drive the minter
 * through it (`dispatch` runs a message through the same validation as the webview's).
 */
export function registerMinter(services: Services): void {
  registerCommand(services, 'slashid.minter.open', async (node?: unknown): Promise<MintController> => {
    const own = ownClient(services, node);
    const preselect = own && { target: own.target, clientId: own.client.client_id };
    const { MinterPanel } = await loadMinterPanel();
    return MinterPanel.show(services, preselect).controller;
  });
  services.shell.minterSerializer({
    deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
      const { MinterPanel } = await loadMinterPanel();
      MinterPanel.revive(services, panel);
    },
  });
}

/**
 * The panel and its message protocol (zod schemas built at load) are loaded on first use, not at activation:
 * esbuild keeps a dynamically imported module's top-level code until the import runs.
 */
function loadMinterPanel(): Promise<typeof import('./minterPanel.js')> {
  return import('./minterPanel.js');
}
