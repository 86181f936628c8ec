import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import type { MintController } from './mintController';
import { MINTER_VIEW_TYPE } from '../tokenPanels/viewType';
import type { OrgTarget } from '../orgs/orgTarget';

/** A client node of the tree (`ClientNode`), as a context-menu command receives it. */
interface ClientNodeLike {
  readonly kind: 'client';
  readonly target: OrgTarget;
  readonly client: { readonly client_id: string };
}

function isClientNode(value: unknown): value is ClientNodeLike {
  return (
    typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'client' && 'target' in value && 'client' in value
  );
}

/**
 * "SlashID: Open Token Minter" (palette, and a client's context menu with that client selected), and the
 * serializer that restores the minter's form after a window reload.
 *
 * The command resolves with the panel's host-side controller: extension-host tests drive the minter
 * through it (`dispatch` runs a message through the same validation as the webview's).
 */
export function registerMinter(services: Services): void {
  registerCommand(services, 'slashid.minter.open', async (node?: unknown): Promise<MintController> => {
    const preselect = isClientNode(node) ? { target: node.target, clientId: node.client.client_id } : undefined;
    const { MinterPanel } = await loadMinterPanel();
    return MinterPanel.show(services, preselect).controller;
  });
  services.context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(MINTER_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        const { MinterPanel } = await loadMinterPanel();
        MinterPanel.revive(services, panel);
      },
    }),
  );
}

/**
 * The panel and its message protocol (zod schemas built at load) are loaded on first use, not at activation:
 * esbuild keeps a dynamically imported module's top-level code until the import runs.
 */
function loadMinterPanel(): Promise<typeof import('./minterPanel.js')> {
  return import('./minterPanel.js');
}
