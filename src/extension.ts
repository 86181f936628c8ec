import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from './services';
import { testHooksEnabled } from './common/testHooks';
import { CONNECTIONS_STATE_KEY } from './shell/contributions';
import { ExtensionShell } from './shell/extensionShell';
import type { startFeatures } from './features';

/**
 * What `activate()` returns: nothing, so other extensions reach no service and no secret. Only in an
 * extension host our test runner started (`testHooksEnabled`) do the extension-host tests get the services.
 */
export type SlashIdExtensionApi = Services | undefined;

/**
 * Activation is the shell only: stand-ins for every command, the clients view, the hovers, terminal
 * links, documents of our schemes, the minter's serializer and the chat tools (src/shell/). The features
 * bundle, dist/features.js next to this file (the API core, zod, jose, every command), is read and started
 * on first use, so activation compiles and runs a few kilobytes instead of ~300 KB.
 */
export function activate(context: vscode.ExtensionContext): SlashIdExtensionApi {
  const shell = new ExtensionShell(context, (registrar) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const features = require(path.join(__dirname, 'features.js')) as { startFeatures: typeof startFeatures };
    return features.startFeatures(context, registrar);
  });
  context.subscriptions.push(shell);
  const connections = context.globalState.get<unknown[]>(CONNECTIONS_STATE_KEY, []);
  void vscode.commands.executeCommand('setContext', 'slashid.hasOrgs', Array.isArray(connections) && connections.length > 0);
  void vscode.commands.executeCommand('setContext', 'slashid.ready', true);
  return testHooksEnabled(context) ? (shell.features().testServices as Services) : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
