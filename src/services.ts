import type { ExpectedAnswer } from './slashid/authorizationAnswer';
import type * as vscode from 'vscode';
import type { Logger } from './common/logger';
import type { OrgConnections } from './orgs/connections';
import type { SecretVault } from './orgs/secretVault';
import type { OrgApis } from './orgs/orgApis';
import type { ClientsModel } from './clients/clientsModel';
import type { ClientsTreeProvider } from './clients/clientsTreeProvider';
import type { LocalEmulatorHost } from './emulatorHost/localEmulatorHost';
import type { UserInput } from './ui/userInput';
import type { ExternalBrowser } from './ui/externalBrowser';
import type { TokenVerifier } from './orgs/tokenVerifier';
import type { CommandResults } from './common/testHooks';
import type { TokenViewers } from './tokenPanels/tokenViewers';
import type { ShellRegistrar } from './shell/extensionShell';

/** What every feature's `register()` receives: built once when the features bundle starts (`startFeatures`). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  /** Where the features register commands and providers: the activation shell's stand-ins hand calls on to them. */
  readonly shell: ShellRegistrar;
  readonly log: Logger;
  readonly connections: OrgConnections;
  readonly vault: SecretVault;
  readonly orgApis: OrgApis;
  readonly model: ClientsModel;
  readonly tree: ClientsTreeProvider;
  readonly emulator: LocalEmulatorHost;
  /** Verifies tokens against connected orgs' key sets: one JWKS cache for the minter, the viewers and the hover. */
  readonly tokenVerifier: TokenVerifier;
  /** What commands produced, for the extension-host tests only (see `testHooksEnabled`); absent otherwise. */
  readonly commandResults?: CommandResults;
  /** The open token viewers (Decode Token, Retrieve OIDC Tokens, the debugger's and terminal's tokens). */
  readonly tokenViewers: TokenViewers;
  /** The chat's language-model tools, for the extension-host tests only (set in `ExtensionMode.Test`); absent otherwise. */
  chatTools?: ReadonlyMap<string, vscode.LanguageModelTool<unknown>>;
  /** Test hooks only: the pending sign-in, whose status bar text the tests read. */
  pendingAuthorization?: {
    readonly text: string;
    run<T>(clientName: string, expected: ExpectedAnswer, task: (signal: AbortSignal) => Promise<T>): Promise<T>;
  };
  /** Questions and messages; the extension-host tests swap in a scripted implementation. */
  ui: UserInput;
  /** Opens the authorization URL of the code flow; the extension-host tests swap in one that plays the browser. */
  browser: ExternalBrowser;
}
