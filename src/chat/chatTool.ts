import * as vscode from 'vscode';
import type * as z from 'zod/mini';
import type { Services } from '../services';
import { describeFailure } from '../common/failures';
import { describeSchemaIssue, formatIssuePath } from '../slashid/schemaIssues';
import { inertText } from '../slashid/untrustedText';

/**
 * What a tool tells the model: a short JSON object, `ok: true` with what it found or did, or `ok: false`
 * with `error`, the same sentence a command would show. Never a secret or a raw token.
 */
export type ToolReply = { readonly ok: true; readonly [key: string]: unknown } | { readonly ok: false; readonly error: string };

export function refused(error: string): ToolReply {
  return { ok: false, error };
}

/** One language-model tool of the extension: its input schema (the one source of its JSON schema) and its work. */
export interface ChatTool<S extends z.ZodMiniType = z.ZodMiniType> {
  /** As contributed in package.json's `languageModelTools`. */
  readonly name: string;
  readonly input: S;
  /** Shown while the tool runs. */
  invocationMessage(input: z.infer<S>): string;
  /**
   * For a tool that changes something: the confirmation naming exactly what will happen. Reads only (it
   * may look up the client a write names), never writes.
   */
  confirmation?(services: Services, input: z.infer<S>): Promise<vscode.LanguageModelToolConfirmationMessages>;
  run(services: Services, input: z.infer<S>, token: vscode.CancellationToken): Promise<ToolReply>;
}

/** The input checked against the tool's schema: the parsed value, or a sentence naming each problem. */
export function parseInput<S extends z.ZodMiniType>(
  tool: ChatTool<S>,
  raw: unknown,
): { ok: true; value: z.infer<S> } | { ok: false; error: string } {
  const result = tool.input['~standard'].validate(raw);
  if (result instanceof Promise) {
    return { ok: false, error: `The input of ${tool.name} could not be checked.` };
  }
  if (!result.issues) {
    return { ok: true, value: result.value };
  }
  const problems = result.issues
    .slice(0, 5)
    .map((issue) => {
      const like = issue as unknown as Parameters<typeof describeSchemaIssue>[0];
      return `${formatIssuePath(like.path ?? [])}: ${describeSchemaIssue({ ...like, path: like.path ?? [] }, raw)}`;
    })
    .join('; ');
  return {
    ok: false,
    error: inertText(`The input of ${tool.name} was refused (${problems}); nothing was done. Fix the input and call the tool again.`, 800),
  };
}

export function toToolResult(reply: ToolReply): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(reply))]);
}

/** The tool as VS Code calls it: input checked with zod, failures turned into a refusal, never thrown. */
export function languageModelTool(services: Services, tool: ChatTool): vscode.LanguageModelTool<unknown> {
  return {
    async prepareInvocation(options) {
      const input = parseInput(tool, options.input);
      if (!input.ok) {
        // The same input is refused by invoke(), which then changes nothing: no confirmation to ask.
        return { invocationMessage: `${tool.name}: the input is refused` };
      }
      const invocationMessage = tool.invocationMessage(input.value);
      if (!tool.confirmation) {
        return { invocationMessage };
      }
      return { invocationMessage, confirmationMessages: await tool.confirmation(services, input.value) };
    },
    async invoke(options, token) {
      const input = parseInput(tool, options.input);
      if (!input.ok) {
        return toToolResult(refused(input.error));
      }
      let reply: ToolReply;
      try {
        reply = await tool.run(services, input.value, token);
      } catch (err) {
        const message = describeFailure(err);
        services.log.warn('chat', `${tool.name} failed: ${message}`);
        reply = refused(message);
      }
      return toToolResult(reply);
    },
  };
}

/** The reply of a tool whose call was cancelled (its token) after the confirmation and before the write. */
export function cancelled(name: string): ToolReply {
  return refused(`${name} was cancelled before it changed anything.`);
}
