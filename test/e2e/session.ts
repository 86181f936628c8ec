/**
 * What the e2e runner (scripts/run-e2e.ts) shares with the tests: one code-server and one Chromium per run.
 * Each test opens its own workbench (fresh browser context, fresh workspace folder) with `openSlashIdWorkbench`;
 * the runner's root `afterEach` saves a screenshot of its final state and closes it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { CodeServer } from '../../scripts/vscode/codeServer';
import { repoRoot } from '../../scripts/vscode/paths';
import { openWorkbench, type Workbench } from './workbench';

export interface E2eSession {
  readonly server: CodeServer;
  readonly browser: Browser;
  /** Per-test workspace folders go here. */
  readonly workspacesDir: string;
  readonly screenshotsDir: string;
}

let session: E2eSession | undefined;
const openWorkbenches: Workbench[] = [];

export function setE2eSession(value: E2eSession): void {
  session = value;
}

export function e2eSession(): E2eSession {
  if (!session) throw new Error('the e2e tests run through `npm run test:e2e` (scripts/run-e2e.ts), which starts code-server');
  return session;
}

export interface WorkbenchOptions {
  /** Written to the workspace's .vscode/settings.json. */
  workspaceSettings?: Record<string, unknown>;
  /** Environment variables for the extension host. */
  extensionEnvironment?: Record<string, string>;
  /** Files written into the workspace before the window opens, by relative path. */
  files?: Record<string, string>;
}

let workspaceCount = 0;

/** Opens the workbench with the extension loaded from the clone (development path) on a fresh workspace. */
export async function openSlashIdWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const { server, browser, workspacesDir } = e2eSession();
  const folder = path.join(workspacesDir, `workspace-${++workspaceCount}`);
  fs.mkdirSync(path.join(folder, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'README.md'), '# e2e workspace\n');
  for (const [name, content] of Object.entries(options.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), content);
  }
  if (options.workspaceSettings) {
    fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(options.workspaceSettings, null, 2));
  }
  const workbench = await openWorkbench(browser, server, {
    folder,
    extensionDevelopmentPath: repoRoot,
    ...(options.extensionEnvironment ? { extensionEnvironment: options.extensionEnvironment } : {}),
  });
  openWorkbenches.push(workbench);
  return workbench;
}

/**
 * Starts a demo emulator before the suite's tests and closes it after them. Call inside `describe`;
 * the returned function gives the running emulator.
 */
export function useDemoEmulator(): () => Emulator {
  let emulator: Emulator | undefined;
  before(async () => {
    emulator = await startEmulator({ port: 0, demo: true });
    // As `npm start` does: code-server opens the sign-in page through its port proxy, at its own address.
    emulator.allowBrowserHost(new URL(e2eSession().server.url).host);
  });
  after(async () => {
    await emulator?.close();
  });
  return () => {
    if (!emulator) throw new Error('the demo emulator is not running (useDemoEmulator() outside a describe?)');
    return emulator;
  };
}

/** A workbench whose workspace points `slashid.localEmulator.url` at the emulator, plus `settings`. */
export function openWorkbenchOn(
  emulator: Emulator,
  settings: Record<string, unknown> = {},
  files?: Record<string, string>,
): Promise<Workbench> {
  return openSlashIdWorkbench({
    workspaceSettings: { 'slashid.localEmulator.url': emulator.url, ...settings },
    // The key of the emulator's GET /__emulator/demo, which the extension reads, as `npm start` gives it.
    ...(emulator.controlKey ? { extensionEnvironment: { SLASHID_EMULATOR_KEY: emulator.controlKey } } : {}),
    ...(files ? { files } : {}),
  });
}

/** The workbenches the current test opened, handed to the runner's afterEach (which closes them). */
export function takeOpenWorkbenches(): Workbench[] {
  return openWorkbenches.splice(0);
}
