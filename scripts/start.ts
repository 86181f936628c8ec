/**
 * `npm start`: try the extension in a real VS Code (code-server 4.139 = VS Code 1.139) against a local emulator.
 * `npm start` builds first (npm run build + compile), then this script:
 *   1. starts the emulator with its demo org on a free loopback port (in this process);
 *   2. writes .vscode-test/start-workspace/.vscode/settings.json with `slashid.localEmulator.url`, so the
 *      extension connects the demo org on first load (its API key goes to SecretStorage, never to settings);
 *   3. starts code-server on 127.0.0.1 with the extension loaded, and prints the URL to open.
 * Ctrl+C stops everything it started.
 *
 * Loading the extension: code-server reads the URL's extensionDevelopmentPath payload only with the smoke-test
 * driver on (checked in its workbench code, and by trying), and that driver hides notification toasts. So by
 * default the clone is linked into code-server's extensions folder as an installed extension (toasts work;
 * after `npm run build`, run "Developer: Reload Window"). `--dev` uses the payload and the driver instead
 * (extension-development mode, as the tests run it; toasts hidden, see "Notifications: Show Notifications").
 *
 *   npm start [-- --dev] [--port <code-server port>] [--emulator-port <port>]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/index';
import { isShuttingDown, onCleanup, runMain } from './vscode/cleanup';
import { startCodeServer } from './vscode/codeServer';
import { createRunDir, repoRoot } from './vscode/paths';
import { progressLog } from './vscode/progress';
import { ensureVsCodeRuntime } from './vscode/runtime';

runMain(async () => {
  const { values } = parseArgs({
    options: { dev: { type: 'boolean', default: false }, port: { type: 'string' }, 'emulator-port': { type: 'string' } },
  });
  const log = progressLog('start');
  const runtime = await ensureVsCodeRuntime(log);

  const emulator = await startEmulator({ port: values['emulator-port'] ? Number(values['emulator-port']) : 0, demo: true });
  onCleanup('emulator', () => emulator.close());
  log(`emulator up at ${emulator.url}`);
  // The extension reads the demo org from the emulator's keyed /__emulator/demo: code-server's extension
  // host inherits this process's environment, so the control key reaches it without a file or a setting.
  if (emulator.controlKey) process.env.SLASHID_EMULATOR_KEY = emulator.controlKey;

  const workspace = path.join(repoRoot, '.vscode-test', 'start-workspace');
  writeWorkspaceSettings(workspace, { 'slashid.localEmulator.url': emulator.url });

  const runDir = createRunDir('start');
  onCleanup('run folder', () => fs.rmSync(runDir, { recursive: true, force: true }));
  const server = await startCodeServer({
    runtime,
    runDir,
    log,
    smokeTestDriver: values.dev,
    ...(values.port ? { port: Number(values.port) } : {}),
    ...(values.dev ? {} : { installedExtensions: [repoRoot] }),
  });
  // The code flow opens the emulator's sign-in page through code-server's port proxy (asExternalUri),
  // whose requests carry code-server's own address.
  const codeServerPort = new URL(server.url).port;
  emulator.allowBrowserHost(`127.0.0.1:${codeServerPort}`);
  emulator.allowBrowserHost(`localhost:${codeServerPort}`);
  const url = server.workbenchUrl({ folder: workspace, ...(values.dev ? { extensionDevelopmentPath: repoRoot } : {}) });

  const demo = emulator.demo;
  console.log(
    [
      '',
      'SlashID OAuth2 in VS Code 1.139 (code-server) is running. Open:',
      '',
      `    ${url}`,
      '',
      values.dev
        ? 'Extension-development mode (payload + smoke-test driver): toasts are hidden, read them with "Notifications: Show Notifications".'
        : 'The extension is loaded from this clone as an installed extension; after `npm run build`, run "Developer: Reload Window".',
      `Workspace: ${path.relative(repoRoot, workspace)} (slashid.localEmulator.url = ${emulator.url})`,
      `Emulator:  ${emulator.url}`,
      demo
        ? `Demo org:  ${demo.orgId} (sub-org ${demo.subOrgId}; ${demo.clientIds.length} clients, ${demo.personIds.length} persons). ` +
          'The extension connects it on first load; its API key stays out of this output and out of settings.'
        : 'Demo org:  none (the emulator started without one)',
      '',
      'Press Ctrl+C to stop code-server and the emulator.',
      '',
    ].join('\n'),
  );

  const code = await server.exited;
  if (isShuttingDown()) return 130; // stopped by Ctrl+C: the signal handler is already cleaning up
  console.error(`code-server exited by itself (code ${code}); see ${server.logFile}`);
  return 1;
});

/** Sets `settings` in the folder's .vscode/settings.json, keeping what else is there. */
function writeWorkspaceSettings(folder: string, settings: Record<string, unknown>): void {
  const file = path.join(folder, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // absent or not plain JSON: start over
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
  const readme = path.join(folder, 'README.md');
  if (!fs.existsSync(readme)) {
    fs.writeFileSync(
      readme,
      '# npm start workspace\n\nCreated by `npm start` (git-ignored). Its settings point the extension at the emulator.\n',
    );
  }
}
