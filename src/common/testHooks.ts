import { AsyncLocalStorage } from 'node:async_hooks';
import * as vscode from 'vscode';
import { TEST_HOOKS_ENV } from './testHooksEnv';

/**
 * Whether `activate()` hands its services to the extension-host tests. Only in an extension host started
 * to run tests (`ExtensionMode.Test`) by our runner: in every other case other extensions get nothing from
 * `activate()` or `exports`, and no command result is kept.
 */
export function testHooksEnabled(context: vscode.ExtensionContext): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test && process.env[TEST_HOOKS_ENV] === '1';
}

/**
 * Commands return nothing to `executeCommand` callers (another extension could run them). With the test
 * hooks, the tests read what a command produced here instead: `run()` executes a command through VS Code
 * and gives back the result its handler recorded in that same call.
 */
export class CommandResults {
  private readonly calls = new AsyncLocalStorage<{ result?: unknown }>();

  /** Called by `registerCommand` with the handler's result; kept only for a call made through `run()`. */
  record(result: unknown): void {
    const call = this.calls.getStore();
    if (call) call.result = result;
  }

  async run<T>(id: string, args: readonly unknown[]): Promise<T | undefined> {
    const call: { result?: unknown } = {};
    await this.calls.run(call, () => vscode.commands.executeCommand(id, ...args));
    return call.result as T | undefined;
  }
}
