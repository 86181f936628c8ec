/**
 * Starts code-server (VS Code 1.139 server + web workbench) on a free loopback port, with its own user data,
 * extensions and XDG folders inside a run folder so that nothing lands in ~/.config or ~/.local. It runs in its own
 * process group, stopped by PGID when the script ends (normal end, error, Ctrl+C, SIGTERM).
 *
 * The CLI rejects --extensionDevelopmentPath; the workbench URL carries it instead, as a `payload` query parameter
 * (see `workbenchUrl`). code-server reads the payload's extension keys only with
 * `--vscode-option enable-smoke-test-driver`, which also hides notification toasts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onCleanup } from './cleanup';
import { findFreeLoopbackPort } from './freePort';
import { startProcessGroup, type ProcessGroup } from './processGroup';
import type { ProgressLog } from './progress';
import type { VsCodeRuntime } from './runtime';

export interface CodeServerOptions {
  runtime: VsCodeRuntime;
  /** Fresh folder for this server's state and log. */
  runDir: string;
  log: ProgressLog;
  /** Defaults to a free port. */
  port?: number;
  /**
   * `--vscode-option enable-smoke-test-driver` (default true): needed for the payload's extensionTestsPath and
   * the `codeAutomationExit` hook; it also suppresses notification toasts.
   */
  smokeTestDriver?: boolean;
  /** Adds to the defaults in `baseUserSettings` (user scope). */
  userSettings?: Record<string, unknown>;
  /**
   * Extension folders to load as installed extensions (symlinked into the extensions dir), which works without
   * the smoke-test driver. Each folder's package.json names it (`publisher.name-version`).
   */
  installedExtensions?: string[];
}

export interface WorkbenchUrlOptions {
  /** Absolute path of the folder to open. */
  folder: string;
  /** Absolute path of an extension to load in development mode (its folder holds package.json). */
  extensionDevelopmentPath?: string;
  /** Absolute path of a module exporting `run(): Promise<void>`; the extension host runs it, then exits. */
  extensionTestsPath?: string;
  /** Extra environment variables for the extension host process. */
  extensionEnvironment?: Record<string, string>;
}

export interface CodeServer {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when code-server exits (by itself or stopped). */
  readonly exited: Promise<number | null>;
  workbenchUrl(options: WorkbenchUrlOptions): string;
  stop(): Promise<void>;
}

/** User settings that keep a test or demo workbench quiet and offline. */
const baseUserSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

const HEALTH_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { runtime, runDir, log } = options;
  const dirs = {
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
    xdgConfig: path.join(runDir, 'xdg', 'config'),
    xdgData: path.join(runDir, 'xdg', 'data'),
    xdgCache: path.join(runDir, 'xdg', 'cache'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...baseUserSettings, ...options.userSettings }, null, 2),
  );
  for (const extension of options.installedExtensions ?? []) linkInstalledExtension(extension, dirs.extensions);
  const configFile = path.join(runDir, 'code-server.yaml');
  fs.writeFileSync(configFile, 'auth: none\n'); // else it reads (or writes) ~/.config/code-server/config.yaml
  const logFile = path.join(runDir, 'code-server.log');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
  };
  delete env.NODE_OPTIONS; // a debugger or loader meant for this script must not reach code-server's Node 24

  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreeLoopbackPort());
    const args = [
      runtime.codeServerEntry,
      '--config',
      configFile,
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--reconnection-grace-time',
      '5',
      ...(options.smokeTestDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
    ];
    fs.appendFileSync(logFile, `\n$ node ${args.join(' ')}\n`);
    const group = startProcessGroup(runtime.nodeBin, args, { env, cwd: runDir, logFile });
    const url = `http://127.0.0.1:${port}`;
    const stop = () => group.stop();
    onCleanup(`code-server (pgid ${group.pid})`, stop);
    const health = await waitForHealth(url, group);
    if (health === 'up') {
      log(`code-server up at ${url} (pgid ${group.pid}; log ${path.relative(process.cwd(), logFile)})`);
      return { url, port, pid: group.pid, logFile, exited: group.exited, workbenchUrl: (o) => workbenchUrl(url, o), stop };
    }
    await stop();
    const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    // The free port may have been taken between our probe and code-server's bind: try another one.
    if (options.port === undefined && attempt < PORT_ATTEMPTS && /EADDRINUSE/.test(tail)) continue;
    throw new Error(`code-server did not answer /healthz (${health}). Last lines of ${logFile}:\n${tail}`);
  }
}

/** VS Code scans its extensions dir for `publisher.name-version` folders and follows symlinks. */
function linkInstalledExtension(extensionDir: string, extensionsDir: string): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const link = path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.resolve(extensionDir), link, 'dir');
}

async function waitForHealth(url: string, group: ProcessGroup): Promise<'up' | 'exited' | 'timeout'> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (group.hasExited()) return 'exited';
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return 'up';
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return 'timeout';
}

/** `/?folder=…&payload=…`, the payload being VS Code's list of [key, value] pairs with `vscode-remote://` URIs. */
export function workbenchUrl(serverUrl: string, options: WorkbenchUrlOptions): string {
  const authority = new URL(serverUrl).host;
  const remote = (file: string) => `vscode-remote://${authority}${toPosixAbsolute(file)}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (options.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
  const query = [`folder=${encodeURIComponent(toPosixAbsolute(options.folder))}`];
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${serverUrl}/?${query.join('&')}`;
}

function toPosixAbsolute(file: string): string {
  return path.resolve(file).split(path.sep).join('/');
}
