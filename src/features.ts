import * as vscode from 'vscode';
import { Logger } from './common/logger';
import { OrgConnections } from './orgs/connections';
import { SecretVault } from './orgs/secretVault';
import { OrgApis } from './orgs/orgApis';
import { TokenVerifier } from './orgs/tokenVerifier';
import { ClientsModel } from './clients/clientsModel';
import { ClientsTreeProvider } from './clients/clientsTreeProvider';
import { LocalEmulatorHost } from './emulatorHost/localEmulatorHost';
import type { Services } from './services';
import type { ShellRegistrar, StartedFeatures } from './shell/extensionShell';
import { WorkbenchUserInput, type UserInput } from './ui/userInput';
import { InertUserInput } from './ui/inertUserInput';
import { WorkbenchBrowser } from './ui/externalBrowser';
import { registerOrganizations } from './orgs/register';
import { registerClients } from './clients/register';
import { registerEmulatorCommands } from './emulatorHost/register';
import { startLocalEmulator } from './emulatorHost/commands/startLocalEmulator';
import { describeFailure } from './common/failures';
import { CommandResults, testHooksEnabled } from './common/testHooks';
import { sharedPools } from './slashid/poolRegistry';
import { registerMinter } from './minter/register';
import { registerInspection } from './inspect/register';
import { TokenViewers } from './tokenPanels/tokenViewers';
import { registerChat } from './chat/register';
import { registerFlows } from './flows/register';

/**
 * The features bundle (dist/features.js), loaded by the activation shell (src/extension.ts) on first
 * use: builds the services and lets each feature register itself through the shell. No network work
 * happens here: the tree asks the API only when it is shown. Gives the services back only in an
 * extension host our test runner started (`testHooksEnabled`); other extensions never see them.
 */
export function startFeatures(context: vscode.ExtensionContext, shell: ShellRegistrar): StartedFeatures {
  const log = new Logger();
  context.subscriptions.push(log);
  try {
    const connections = new OrgConnections(context.globalState);
    const vault = new SecretVault(context.secrets, context.globalState);
    const emulator = new LocalEmulatorHost(context, log);
    const orgApis = new OrgApis(connections, vault, log, emulator);
    const model = new ClientsModel(orgApis);
    // `npm start` points the extension at its emulator: connect the demo org on first sight of the tree.
    const tree = new ClientsTreeProvider(connections, vault, model, {
      beforeFirstLoad: async () => {
        if (connections.all().length === 0 && emulator.configuredUrl()) {
          try {
            await startLocalEmulator(services);
          } catch (err) {
            log.warn('emulator', `could not connect the configured emulator: ${describeFailure(err)}`);
          }
        }
      },
    });
    const tokenVerifier = new TokenVerifier(connections, emulator, () => orgApis.requestTimeoutMs());
    const tokenViewers = new TokenViewers();
    const testHooks = testHooksEnabled(context);
    context.subscriptions.push(connections, vault, emulator, orgApis, model, tree, tokenViewers, {
      dispose: () => void sharedPools.close(),
    });
    // Every message and question goes out through InertUserInput, also when the tests install their own.
    let ui: UserInput = new InertUserInput(new WorkbenchUserInput());
    const services: Services = {
      context,
      shell,
      log,
      connections,
      vault,
      orgApis,
      model,
      tree,
      emulator,
      tokenVerifier,
      tokenViewers,
      ...(testHooks ? { commandResults: new CommandResults() } : {}),
      get ui() {
        return ui;
      },
      set ui(next: UserInput) {
        ui = next instanceof InertUserInput ? next : new InertUserInput(next);
      },
      browser: new WorkbenchBrowser(context.extension.id),
    };

    registerOrganizations(services);
    registerClients(services);
    registerEmulatorCommands(services);
    registerMinter(services);
    registerInspection(services);
    const pendingAuthorization = registerFlows(services);
    const chatTools = registerChat(services);
    if (testHooks) {
      services.chatTools = chatTools;
      services.pendingAuthorization = pendingAuthorization;
    }

    log.info('activate', `SlashID OAuth2 ${String((context.extension.packageJSON as { version?: unknown }).version)} started`);
    return { testServices: testHooks ? services : undefined };
  } catch (err) {
    // The shell shows the failure; the log keeps it too.
    log.error('activate', `SlashID OAuth2 failed to start: ${describeFailure(err)}`);
    throw err;
  }
}
