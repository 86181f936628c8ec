import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { UserFacingError } from '../common/failures';
import type { Logger } from '../common/logger';
import { checkBaseUrl, isLoopbackUrl, normalizeBaseUrl } from '../orgs/environments';
import type { Emulator, startEmulator as StartEmulator } from '../../emulator/index';
import type { EmulatorDemo } from './emulatorDemo';

const DEMO_KEY_SECRET = 'slashid.emulator.demoApiKey';

/**
 * The local SlashID emulator as the extension sees it: either one started in this extension host
 * (its own bundle `dist/emulator.js`, loaded only when asked for), or one already running whose URL
 * is in `slashid.localEmulator.url` (for example the one `npm start` runs).
 */
export class LocalEmulatorHost extends Disposable {
  private running: Emulator | undefined;
  private starting: Promise<Emulator> | undefined;
  /** Control keys of external emulators that worked, by URL (memory only). */
  private readonly controlKeys = new Map<string, string>();
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
  ) {
    super();
  }

  /** The URL set in settings, if any and valid. */
  configuredUrl(): string | undefined {
    const value = vscode.workspace.getConfiguration('slashid').get<string>('localEmulator.url', '').trim();
    if (!value || checkBaseUrl(value) || !isLoopbackUrl(new URL(value))) {
      return undefined;
    }
    return normalizeBaseUrl(value);
  }

  /** The URL of the emulator the extension can reach now, without starting one. */
  currentUrl(): string | undefined {
    return this.running?.url ?? this.configuredUrl();
  }

  get isRunningInProcess(): boolean {
    return this.running !== undefined;
  }

  /**
   * Starts the emulator in this extension host (or returns the configured external one) and gives
   * its demo org's credentials.
   */
  async ensureStarted(): Promise<EmulatorDemo> {
    const external = this.configuredUrl();
    if (external) {
      return this.externalDemo(external);
    }
    const emulator = await this.startInProcess();
    const demo = emulator.demo;
    if (!demo) {
      throw new UserFacingError(
        'The local emulator started without its demo organization: its state file may come from a seeded run. Stop VS Code and delete emulator-state.json from the extension\'s storage, or connect an org of that emulator with "SlashID: Connect Organization".',
      );
    }
    return { url: emulator.url, orgId: demo.orgId, apiKey: demo.apiKey };
  }

  private startInProcess(): Promise<Emulator> {
    if (this.running) {
      return Promise.resolve(this.running);
    }
    this.starting ??= (async () => {
      try {
        // A separate bundle, so activation never loads the emulator.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(path.join(this.context.extensionPath, 'dist', 'emulator.js')) as { startEmulator: typeof StartEmulator };
        let demoApiKey = await this.context.secrets.get(DEMO_KEY_SECRET);
        if (!demoApiKey) {
          demoApiKey = `emu_${randomHex(24)}`;
          await this.context.secrets.store(DEMO_KEY_SECRET, demoApiKey);
        }
        const storage = this.context.globalStorageUri.fsPath;
        await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
        // Nothing in VS Code needs the test-only /__emulator/ routes (the demo org's key, faults): not served.
        const emulator = await mod.startEmulator({
          port: 0,
          demo: true,
          demoApiKey,
          stateFile: path.join(storage, 'emulator-state.json'),
          controlRoutes: 'off',
        });
        this.running = emulator;
        this.log.info('emulator', `local emulator listening on ${emulator.url}`);
        await this.forwardSignInPage(emulator);
        void vscode.commands.executeCommand('setContext', 'slashid.emulatorRunning', true);
        this._onDidChange.fire();
        return emulator;
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  /**
   * A browser may reach this extension host's loopback only at a forwarded address (code-server's port
   * proxy, a remote window's port forward): the emulator also serves its sign-in page there, so the
   * authorization-code flow, which opens that page through `asExternalUri`, works in those windows too.
   */
  private async forwardSignInPage(emulator: Emulator): Promise<void> {
    try {
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(emulator.url));
      if (external.authority && external.authority.toLowerCase() !== new URL(emulator.url).host) {
        emulator.allowBrowserHost(external.authority);
        this.log.info('emulator', `sign-in page also served at ${external.scheme}://${external.authority}${external.path}`);
      }
    } catch (err) {
      this.log.warn('emulator', `the emulator's sign-in page is served at its loopback address only: ${String(err)}`);
    }
  }

  /**
   * The demo org of the emulator at `url`. Its `/__emulator/demo` needs the control key the emulator's
   * CLI printed: taken from `SLASHID_EMULATOR_KEY` (what `npm start` and the tests set for the extension
   * host), else asked for (a password box) and kept in memory for this window only.
   */
  private async externalDemo(url: string): Promise<EmulatorDemo> {
    // Loaded on use: it checks the answer with zod, which activation does not load.
    const { fetchExternalDemo } = await import('./externalDemo.js');
    let key = this.controlKeys.get(url) ?? process.env.SLASHID_EMULATOR_KEY;
    for (let asked = 0; ; asked++) {
      const demo = await fetchExternalDemo(url, key);
      if (typeof demo === 'object') {
        if (key !== undefined) this.controlKeys.set(url, key);
        return demo;
      }
      this.controlKeys.delete(url);
      if (asked >= 2) {
        throw new UserFacingError(
          `The local emulator at ${url} refused the control key three times, so its demo organization was not connected; copy the "control key" line that npm run emulator printed and try again.`,
        );
      }
      key = await vscode.window.showInputBox({
        title: 'SlashID: Local Emulator Control Key',
        prompt: `${asked > 0 || key !== undefined ? 'That key was refused. ' : ''}Paste the control key that "npm run emulator" printed for ${url}.`,
        password: true,
        ignoreFocusOut: true,
      });
      if (!key) {
        throw new UserFacingError(
          `The demo organization of the local emulator at ${url} was not connected because no control key was given; paste the "control key" that npm run emulator printed, or clear slashid.localEmulator.url.`,
        );
      }
    }
  }

  async stop(): Promise<boolean> {
    const emulator = this.running;
    if (!emulator) {
      return false;
    }
    this.running = undefined;
    await emulator.close();
    this.log.info('emulator', 'local emulator stopped');
    void vscode.commands.executeCommand('setContext', 'slashid.emulatorRunning', false);
    this._onDidChange.fire();
    return true;
  }

  override dispose(): void {
    void this.stop();
    super.dispose();
  }
}

function randomHex(bytes: number): string {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}
