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

/**
 * What VS Code passes for a chat request (VS Code 1.139): `prepareInvocation` gets the chat session and request,
 * `invoke` the request's `toolInvocationToken` (opaque to the tool: it only tells a chat request from another
 * extension's call). An extension host without a language model cannot start a chat request, so these suites
 * play VS Code's part through the tool objects (test hook).
 */
export const CHAT_PREPARE_FIELDS = {
  chatRequestId: 'test-request',
  chatSessionResource: vscode.Uri.parse('vscode-chat-session://local/test'),
};
export const CHAT_REQUEST_TOKEN = {
  sessionResource: CHAT_PREPARE_FIELDS.chatSessionResource,
} as unknown as vscode.ChatParticipantToolToken;

/** The tool's `invoke` as VS Code runs it for a chat request, without `prepareInvocation` (no confirmation shown). */
export async function invokeUnprepared(
  s: Services,
  name: string,
  input: object,
  token = new vscode.CancellationTokenSource().token,
): Promise<{ reply: Reply; text: string }> {
  const result = await toolObject(s, name).invoke({ input, toolInvocationToken: CHAT_REQUEST_TOKEN }, token);
  assert.ok(result, `${name} gave no result`);
  const text = resultText(result);
  return { reply: JSON.parse(text) as Reply, text };
}

/**
 * A chat request's call as VS Code makes it once the user continues: `prepareInvocation` (its confirmation is
 * shown and accepted), then `invoke` with the request's token.
 */
export async function invokeInChat(
  s: Services,
  name: string,
  input: object,
  token?: vscode.CancellationToken,
): Promise<{ reply: Reply; text: string }> {
  await toolObject(s, name).prepareInvocation?.({ input, ...CHAT_PREPARE_FIELDS }, new vscode.CancellationTokenSource().token);
  return invokeUnprepared(s, name, input, token);
}

/** The tool object the extension registered (test hook), for `prepareInvocation`. */
export function toolObject(s: Services, name: string): vscode.LanguageModelTool<unknown> {
  const tool = s.chatTools?.get(name);
  assert.ok(tool, `activate() gave no chat tool ${name}: the test hooks are off`);
  return tool;
}

/** `prepareInvocation` as VS Code calls it for a chat request. */
export async function prepare(s: Services, name: string, input: object): Promise<vscode.PreparedToolInvocation> {
  const prepared = await toolObject(s, name).prepareInvocation?.(
    { input, ...CHAT_PREPARE_FIELDS },
    new vscode.CancellationTokenSource().token,
  );
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
