import * as vscode from 'vscode';
import type * as z from 'zod/mini';
import type { Services } from '../services';
import { describeFailure } from '../common/failures';
import { describeSchemaIssue, formatIssuePath } from '../slashid/schemaIssues';
import { inertText } from '../slashid/untrustedText';
import { ConfirmedCalls, type Confirmed, type ConfirmedTarget } from './confirmedTargets';

/**
 * What a tool tells the model: a short JSON object, `ok: true` with what it found or did, or `ok: false`
 * with `error`, the same sentence a command would show. Never a secret or a raw token.
 */
export type ToolReply = { readonly ok: true; readonly [key: string]: unknown } | { readonly ok: false; readonly error: string };

export function refused(error: string): ToolReply {
  return { ok: false, error };
}

/**
 * Who may call a tool. `local`: it sends nothing with the user's API key (it reads this window's connections,
 * or decodes a token and fetches public keys), so it answers any caller. `organization`: it reads or changes
 * an organization with the user's key, so it answers a chat request only (`toolInvocationToken` set): any
 * extension may call `vscode.lm.invokeTool` outside a chat, and nothing in such a call is the user's choice.
 */
export type ToolReach = 'local' | 'organization';

/** A confirmation's messages and what it named (absent when it says the request cannot run). */
export interface ToolConfirmation {
  readonly messages: vscode.LanguageModelToolConfirmationMessages;
  readonly confirmed?: ConfirmedTarget;
}

/** One language-model tool of the extension: its input schema (the one source of its JSON schema) and its work. */
export interface ChatTool<S extends z.ZodMiniType = z.ZodMiniType> {
  /** As contributed in package.json's `languageModelTools`. */
  readonly name: string;
  readonly input: S;
  readonly reach: ToolReach;
  /** Shown while the tool runs. */
  invocationMessage(input: z.infer<S>): string;
  /**
   * For a tool that changes something or returns personal data: the confirmation naming exactly what will
   * happen, and the organization and client it names (the run acts on those only). Reads only (it may look up
   * the client a write names), never writes.
   */
  confirmation?(services: Services, input: z.infer<S>): Promise<ToolConfirmation>;
  /** `confirmed`: the confirmations shown for this input and not used yet (empty for a tool that asks nothing). */
  run(services: Services, input: z.infer<S>, token: vscode.CancellationToken, confirmed: Confirmed): Promise<ToolReply>;
}

/**
 * Whether VS Code prepares this call for a chat request. It passes the chat session and request to
 * `prepareInvocation` (fields the stable API's types leave out; outside a chat they are undefined). When they
 * are absent the call is taken as one from outside a chat: no confirmation is asked and nothing is read, and
 * `invoke` refuses it (it checks `toolInvocationToken`, which the stable API does give). Should a VS Code leave
 * them out for a chat request too, its writes are refused for want of a confirmation, never run without one.
 */
function preparedForChatRequest(options: object): boolean {
  const fields = options as Record<string, unknown>;
  return ['chatSessionResource', 'chatSessionId', 'chatRequestId', 'chatInteractionId'].some(
    (k) => fields[k] !== undefined && fields[k] !== null,
  );
}

/** The refusal of a tool that reads or changes an organization, called outside a chat request. */
export function outsideChatRequest(name: string): string {
  return `${name} answers only a request made in VS Code's chat, because it reads or changes your SlashID organization with your API key; this call came from outside a chat (another extension), so nothing was sent. Ask for it in the Chat view, or use the SlashID commands.`;
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
  const confirmations = new ConfirmedCalls();
  return {
    async prepareInvocation(options) {
      const input = parseInput(tool, options.input);
      if (!input.ok) {
        // The same input is refused by invoke(), which then changes nothing: no confirmation to ask.
        return { invocationMessage: `${tool.name}: the input is refused` };
      }
      const invocationMessage = tool.invocationMessage(input.value);
      if (!tool.confirmation || (tool.reach === 'organization' && !preparedForChatRequest(options))) {
        // Outside a chat request invoke() refuses an organization tool: nothing to read, nothing to ask.
        return { invocationMessage };
      }
      const { messages, confirmed } = await tool.confirmation(services, input.value);
      if (confirmed) confirmations.remember(input.value, confirmed);
      return { invocationMessage, confirmationMessages: messages };
    },
    async invoke(options, token) {
      const input = parseInput(tool, options.input);
      if (!input.ok) {
        return toToolResult(refused(input.error));
      }
      if (tool.reach === 'organization' && options.toolInvocationToken === undefined) {
        services.log.warn('chat', `${tool.name} was called outside a chat request: refused, nothing sent`);
        return toToolResult(refused(outsideChatRequest(tool.name)));
      }
      let reply: ToolReply;
      try {
        reply = await tool.run(services, input.value, token, confirmations.forInput(input.value));
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
