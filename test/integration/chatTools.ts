/** Helpers for the chat tools suites: call a tool the way a chat participant does, and read its reply. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';

export interface Reply {
  readonly ok: boolean;
  readonly error?: string;
  readonly [key: string]: unknown;
}

/** The text of every part of a tool result. */
export function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('\n');
}

/** `vscode.lm.invokeTool` outside a chat request (no toolInvocationToken), as any extension may call it. */
export async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<{ reply: Reply; text: string }> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  const text = resultText(result);
  return { reply: JSON.parse(text) as Reply, text };
}

/** The tool object the extension registered (test hook), for `prepareInvocation`. */
export function toolObject(s: Services, name: string): vscode.LanguageModelTool<unknown> {
  const tool = s.chatTools?.get(name);
  assert.ok(tool, `activate() gave no chat tool ${name}: the test hooks are off`);
  return tool;
}

export async function prepare(s: Services, name: string, input: object): Promise<vscode.PreparedToolInvocation> {
  const prepared = await toolObject(s, name).prepareInvocation?.({ input }, new vscode.CancellationTokenSource().token);
  assert.ok(prepared, `${name} prepared nothing`);
  return prepared;
}

export function confirmationText(prepared: vscode.PreparedToolInvocation): string {
  const c = prepared.confirmationMessages;
  assert.ok(c, 'no confirmation was asked');
  return `${c.title}\n${typeof c.message === 'string' ? c.message : c.message.value}`;
}

/**
 * What VS Code 1.139 does with a tool's `confirmationMessages` when `invokeTool` is called outside a chat request
 * (languageModelToolsService.ts): unless the tool is auto-approved, it asks `IDialogService.confirm` in a modal
 * dialog and throws a CancellationError when that is not confirmed. In an extension host started for tests the
 * dialog service confirms by itself without showing anything, so these suites approve explicitly, as VS Code's
 * own API tests do (`chat.tools.global.autoApprove` and the test-mode context key that skips its opt-in
 * dialog); the messages are checked through `prepareInvocation`, and the real dialog (Cancel, then Yes) by the
 * e2e test chatConfirmation.test.ts.
 */
export async function autoApproveTools(on: boolean): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'vscode.chat.tools.global.autoApprove.testMode', on ? true : undefined);
  await vscode.workspace
    .getConfiguration('chat.tools.global')
    .update('autoApprove', on ? true : undefined, vscode.ConfigurationTarget.Global);
}
