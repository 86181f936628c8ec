/** The extension's services (what `activate()` returns), and helpers to drive them from tests. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import type { TreeNode } from '../../src/clients/treeNodes';
import { getExtension } from './extension';
import { startTestEmulator } from './emulator';
import { ScriptedUserInput, type Answer } from './scriptedUserInput';

export async function services(): Promise<Services> {
  const api = (await getExtension().activate()) as Services | undefined;
  assert.ok(api?.connections && api.vault && api.tree, 'activate() did not return the services');
  return api;
}

/**
 * Runs a command the way VS Code does (`executeCommand`) and gives back what its handler produced. Commands
 * return nothing to callers; with the test hooks, the extension keeps each call's result for the tests.
 */
export async function runCommand<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
  const s = await services();
  assert.ok(s.commandResults, 'activate() gave services without command results: the test hooks are off');
  return (await s.commandResults.run<T>(id, args)) as T;
}

/** Installs a scripted person at the keyboard for the next commands. */
export function script(s: Services, answers: Answer[]): ScriptedUserInput {
  const ui = new ScriptedUserInput(answers);
  s.ui = ui;
  return ui;
}

/** Removes every connection, key and stored secret, as a fresh install would have. */
export async function resetState(s: Services): Promise<void> {
  for (const c of s.connections.all()) {
    await s.connections.remove(c.id);
    await s.vault.forgetConnection(c.id);
  }
  s.model.invalidate();
}

export async function children(s: Services, node?: TreeNode): Promise<TreeNode[]> {
  return s.tree.getChildren(node);
}

export function labelOf(node: TreeNode): string {
  const label = node.getTreeItem().label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export function itemOf(node: TreeNode): vscode.TreeItem {
  return node.getTreeItem();
}

/** Every text the extension wrote to its log so far (the LogOutputChannel's file). */
export async function logText(s: Services): Promise<string> {
  const dir = s.context.logUri.fsPath;
  let text = '';
  for (const candidate of [dir, path.dirname(dir)]) {
    let names: string[];
    try {
      names = await fs.readdir(candidate);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.log'))) {
      text += await fs.readFile(path.join(candidate, name), 'utf8');
    }
  }
  return text;
}

export function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error('condition not met in time'));
      setTimeout(() => void tick(), 50);
    };
    void tick();
  });
}

/** Connects through the real multi-step flow with the Custom URL environment. */
export async function connectViaCustomUrl(
  s: Services,
  emulator: { url: string },
  orgId: string,
  key: string,
  name: string,
): Promise<OrgConnection> {
  const ui = script(s, [{ pick: 'Custom URL' }, { input: emulator.url }, { input: orgId }, { input: key }, { input: name }]);
  const result = await runCommand<OrgConnection | undefined>('slashid.orgs.connect');
  ui.assertDone();
  assert.ok(result, `connect returned nothing; messages: ${ui.texts().join(' | ')}`);
  return result;
}

/** Every line the extension logs from now on (as given to its Logger, before the file is written), until `stop()`. */
export function captureLog(s: Services): { readonly lines: string[]; stop(): void } {
  const lines: string[] = [];
  const log = s.log as unknown as Record<'trace' | 'info' | 'warn' | 'error', (component: string, message: string) => void>;
  const originals = { trace: log.trace, info: log.info, warn: log.warn, error: log.error };
  for (const level of ['trace', 'info', 'warn', 'error'] as const) {
    const original = originals[level];
    log[level] = (component: string, message: string) => {
      lines.push(`[${level}] [${component}] ${message}`);
      original.call(s.log, component, message);
    };
  }
  return {
    lines,
    stop: () => {
      for (const level of ['trace', 'info', 'warn', 'error'] as const) delete (log as Partial<typeof log>)[level];
    },
  };
}

/** The markdown of every hover at a position (through the real hover providers). */
export async function hoverText(document: vscode.TextDocument, line: number, character: number): Promise<string> {
  const hovers =
    (await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(line, character),
    )) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/**
 * A test emulator whose demo org is connected the way `npm start` does it (`slashid.localEmulator.url` +
 * "Start Local Emulator"). `disconnect()` closes editors, forgets the org and its secrets, clears the
 * setting and stops the emulator.
 */
export async function connectDemoOfTestEmulator(s: Services): Promise<{
  emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  connection: OrgConnection;
  disconnect(): Promise<void>;
}> {
  const emulator = await startTestEmulator();
  const settings = () => vscode.workspace.getConfiguration('slashid');
  await settings().update('localEmulator.url', emulator.url, vscode.ConfigurationTarget.Workspace);
  await runCommand('slashid.emulator.start');
  const connection = s.connections.all().find((c) => c.orgId === emulator.demo.orgId);
  assert.ok(connection, 'the demo org was not connected');
  return {
    emulator,
    connection,
    async disconnect() {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await s.vault.forgetConnection(connection.id);
      await s.connections.remove(connection.id);
      s.model.invalidate();
      await settings().update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
      await emulator.close();
    },
  };
}
