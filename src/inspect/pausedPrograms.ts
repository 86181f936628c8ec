import * as vscode from 'vscode';
import { UserFacingError } from '../common/failures';
import { stringFromDebugValue } from '../tokens/stringLiterals';
import { findTokens } from '../tokens/recognize';
import { cutJwtIn } from '../tokens/cutTokens';
import { joinPath, tokenOfString, tokensInJson, type TokenInValue } from '../tokens/tokensInValues';

/**
 * Reading tokens out of paused programs through the Debug Adapter Protocol, for "SlashID: Decode Token"
 * in the Variables and Watch views and from the palette.
 *
 * The displayed `value` of a variable is never trusted: it is a quoted, escaped literal that adapters
 * shorten (js-debug cuts long strings, VS Code's own Copy Value is known to as well). As VS Code's Copy
 * Value does, the variable's `evaluateName` is evaluated again in the focused frame, with the
 * `clipboard` context when the adapter announced `supportsClipboardContext` (the context in which
 * adapters return values whole), `variables` otherwise; the result is unquoted as a string literal of
 * the program's language.
 */

/** A variable as the Debug Adapter Protocol describes it (`DebugProtocol.Variable`), the fields used here. */
export interface DebugVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly evaluateName?: string;
  readonly variablesReference: number;
}

/** What VS Code passes to `debug/variables/context` and `debug/watch/context` commands. */
export interface VariableMenuContext {
  /** Absent when the caller did not say: the focused session is meant. */
  readonly sessionId?: string;
  readonly container?: unknown;
  readonly variable: DebugVariable;
}

/**
 * The menu context, checked field by field (it comes from VS Code, or from anyone calling the command).
 * The Variables view passes `{ sessionId, container, variable }`; a watch expression passes
 * `{ sessionId, variable }`, whose `name` is the expression itself.
 */
export function asVariableMenuContext(value: unknown): VariableMenuContext | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { sessionId, container, variable } = value as Record<string, unknown>;
  if (typeof variable !== 'object' || variable === null) return undefined;
  const v = variable as Record<string, unknown>;
  if (typeof v.name !== 'string' || typeof v.value !== 'string') return undefined;
  const evaluateName = typeof v.evaluateName === 'string' && v.evaluateName.length > 0 ? v.evaluateName : undefined;
  // A watch expression (no container) is evaluated by its name, as VS Code's Copy Value does.
  const expression = evaluateName ?? (container === undefined && v.name.length > 0 ? v.name : undefined);
  return {
    ...(typeof sessionId === 'string' ? { sessionId } : {}),
    container,
    variable: {
      name: v.name,
      value: v.value,
      variablesReference: typeof v.variablesReference === 'number' ? v.variablesReference : 0,
      ...(typeof v.type === 'string' ? { type: v.type } : {}),
      ...(expression !== undefined ? { evaluateName: expression } : {}),
    },
  };
}

/** At most this many variables are read when looking through a scope or an object for tokens. */
const MAX_VARIABLES_READ = 300;
const MAX_DEPTH = 3;

/**
 * The debug sessions of this window and what their adapters can do. VS Code's API lists neither the
 * sessions nor their capabilities: sessions are tracked as they start and end, and each adapter's
 * `initialize` response is read by a tracker that looks at that one message.
 */
export class PausedPrograms implements vscode.Disposable {
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly clipboardContext = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.debug.onDidStartDebugSession((session) => this.sessions.set(session.id, session)),
      vscode.debug.onDidTerminateDebugSession((session) => {
        this.sessions.delete(session.id);
        this.clipboardContext.delete(session.id);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => {
          let seen = false;
          return {
            onDidSendMessage: (message: unknown) => {
              if (seen) return;
              const m = message as { type?: unknown; command?: unknown; body?: { supportsClipboardContext?: unknown } };
              if (m.type === 'response' && m.command === 'initialize') {
                seen = true;
                this.clipboardContext.set(session.id, m.body?.supportsClipboardContext === true);
              }
            },
          };
        },
      }),
    );
    if (vscode.debug.activeDebugSession) this.sessions.set(vscode.debug.activeDebugSession.id, vscode.debug.activeDebugSession);
  }

  session(id: string | undefined): vscode.DebugSession | undefined {
    if (id === undefined) return vscode.debug.activeStackItem?.session ?? vscode.debug.activeDebugSession;
    const active = vscode.debug.activeDebugSession;
    if (active?.id === id) return active;
    const item = vscode.debug.activeStackItem;
    if (item?.session.id === id) return item.session;
    return this.sessions.get(id);
  }

  /** The paused frame the debug views show: the focused stack frame, or the top frame of the focused thread. */
  async focusedFrame(): Promise<{ session: vscode.DebugSession; frameId: number } | undefined> {
    const item = vscode.debug.activeStackItem;
    if (item instanceof vscode.DebugStackFrame) return { session: item.session, frameId: item.frameId };
    if (item instanceof vscode.DebugThread) {
      const frameId = await topFrameOf(item.session, item.threadId);
      return frameId === undefined ? undefined : { session: item.session, frameId };
    }
    return undefined;
  }

  /** The frame to evaluate in for a session: the focused one when it belongs to it, else its first thread's top frame. */
  async frameOf(session: vscode.DebugSession): Promise<number | undefined> {
    const focused = await this.focusedFrame();
    if (focused?.session.id === session.id) return focused.frameId;
    const threads = (await session.customRequest('threads')) as { threads?: { id: number }[] } | undefined;
    const thread = threads?.threads?.[0];
    return thread ? topFrameOf(session, thread.id) : undefined;
  }

  /**
   * Evaluates `expression` again: `clipboard` context when the adapter supports it (tried first when
   * the session started before this extension, its capabilities unknown), `variables` otherwise.
   */
  async evaluate(session: vscode.DebugSession, expression: string, frameId: number | undefined): Promise<EvaluatedValue> {
    const clipboard = this.clipboardContext.get(session.id);
    const contexts = clipboard === true ? ['clipboard'] : clipboard === false ? ['variables', 'repl'] : ['clipboard', 'variables'];
    let failure: unknown;
    for (const context of contexts) {
      try {
        const body = (await session.customRequest('evaluate', {
          expression,
          context,
          ...(frameId !== undefined ? { frameId } : {}),
        })) as { result?: unknown; variablesReference?: unknown } | undefined;
        if (typeof body?.result === 'string') {
          return {
            result: body.result,
            variablesReference: typeof body.variablesReference === 'number' ? body.variablesReference : 0,
            context,
          };
        }
      } catch (err) {
        failure = err;
      }
    }
    throw new EvaluationError(failure instanceof Error ? failure.message : 'the debugger gave no value');
  }

  /** A variable's children (`variables` request), at most `MAX_VARIABLES_READ`. */
  async children(session: vscode.DebugSession, variablesReference: number): Promise<DebugVariable[]> {
    const body = (await session.customRequest('variables', { variablesReference })) as { variables?: DebugVariable[] } | undefined;
    return (body?.variables ?? []).slice(0, MAX_VARIABLES_READ);
  }

  /**
   * The tokens a variable holds, read in full: a string that is a token (or a JSON text holding some),
   * or the token-valued fields of an object, found through its children. `evaluatedWith` and `displayedOnly` say whether the
   * debugger evaluated the value again or only its displayed text could be read (and why).
   */
  async tokensOf(context: VariableMenuContext): Promise<VariableTokens> {
    const { variable } = context;
    const session = this.session(context.sessionId);
    if (!session) {
      return this.fromDisplayedValue(variable, 'the debug session has ended');
    }
    const expression = variable.evaluateName;
    if (variable.variablesReference > 0) {
      return { isObject: true, tokens: await this.tokensInChildren(session, variable.variablesReference, '', 0, { read: 0 }) };
    }
    if (expression === undefined) {
      return this.fromDisplayedValue(variable, 'the debugger gives no expression for this variable');
    }
    let evaluated: EvaluatedValue;
    try {
      evaluated = await this.evaluate(session, expression, await this.frameOf(session));
    } catch (err) {
      return this.fromDisplayedValue(variable, `the debugger could not evaluate it (${err instanceof Error ? err.message : String(err)})`);
    }
    if (evaluated.variablesReference > 0) {
      return { isObject: true, tokens: await this.tokensInChildren(session, evaluated.variablesReference, '', 0, { read: 0 }) };
    }
    return { isObject: false, ...tokensAndCut(evaluated.result), evaluatedWith: evaluated.context };
  }

  /**
   * Every token held by the variables of the paused frame's scopes (locals, closures; not the
   * "expensive" ones such as globals), each read in full: what the palette offers, since VS Code has no
   * API for the variable selected in the Variables view. Undefined when no program is paused.
   */
  async tokensInFocusedFrame(): Promise<{ session: vscode.DebugSession; tokens: TokenInValue[] } | undefined> {
    const frame = await this.focusedFrame();
    if (!frame) return undefined;
    const { session, frameId } = frame;
    const body = (await session.customRequest('scopes', { frameId })) as
      { scopes?: { name: string; variablesReference: number; expensive?: boolean }[] } | undefined;
    const tokens: TokenInValue[] = [];
    const budget = { read: 0 };
    for (const scope of (body?.scopes ?? []).filter((s) => !s.expensive)) {
      tokens.push(...(await this.tokensInChildren(session, scope.variablesReference, '', 0, budget)));
      if (budget.read >= MAX_VARIABLES_READ) break;
    }
    return { session, tokens };
  }

  private fromDisplayedValue(variable: DebugVariable, reason: string): VariableTokens {
    return { isObject: variable.variablesReference > 0, ...tokensAndCut(variable.value), displayedOnly: reason };
  }

  /** Token-valued fields under an object, depth first; strings that may hold a token are evaluated again in full. */
  private async tokensInChildren(
    session: vscode.DebugSession,
    reference: number,
    path: string,
    depth: number,
    budget: { read: number },
  ): Promise<TokenInValue[]> {
    if (depth >= MAX_DEPTH || budget.read >= MAX_VARIABLES_READ) return [];
    const found: TokenInValue[] = [];
    let children: DebugVariable[];
    try {
      children = await this.children(session, reference);
    } catch {
      return found;
    }
    budget.read += children.length;
    for (const child of children) {
      const childPath = joinPath(path, /^\d+$/.test(child.name) ? `[${child.name}]` : child.name);
      if (child.variablesReference > 0) {
        if (!child.name.startsWith('[[') && child.name !== '__proto__') {
          found.push(...(await this.tokensInChildren(session, child.variablesReference, childPath, depth + 1, budget)));
        }
        continue;
      }
      if (!mayHoldToken(child.value)) continue;
      let text = child.value;
      if (child.evaluateName !== undefined) {
        try {
          text = (await this.evaluate(session, child.evaluateName, await this.frameOf(session))).result;
        } catch {
          // Keep the displayed value; a cut token says so when decoded.
        }
      }
      for (const t of tokensInText(text)) found.push({ ...t, path: joinPath(childPath, t.path) });
    }
    return found;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.sessions.clear();
  }
}

export interface EvaluatedValue {
  readonly result: string;
  readonly variablesReference: number;
  readonly context: string;
}

export interface VariableTokens {
  readonly isObject: boolean;
  readonly tokens: readonly TokenInValue[];
  /** The `evaluate` context the value was read in, when it was evaluated again. */
  readonly evaluatedWith?: string;
  /** Why only the displayed (possibly shortened) value could be read. */
  readonly displayedOnly?: string;
  /** No token, but the value ends with the start of a JWT: why it looks cut. */
  readonly cut?: string;
}

function tokensAndCut(text: string): { tokens: TokenInValue[]; cut?: string } {
  const tokens = tokensInText(text);
  if (tokens.length > 0 || !mayHoldToken(text)) return { tokens };
  const cut = cutJwtIn(stringFromDebugValue(text).value);
  return cut === undefined ? { tokens } : { tokens, cut };
}

export class EvaluationError extends UserFacingError {}

/** Cheap test before any regular expression: a JWT header starts with `eyJ`, an opaque SlashID token with `sid_`. */
export function mayHoldToken(text: string): boolean {
  return text.includes('eyJ') || text.includes('sid_');
}

/**
 * The tokens a debugger's value text holds: the string literal unquoted, then the whole string as one
 * token, or the tokens of a JSON text, or the tokens found in free text (a log line, a header).
 */
export function tokensInText(text: string): TokenInValue[] {
  if (!mayHoldToken(text)) return [];
  const { value } = stringFromDebugValue(text);
  // A value cut on display ends in an ellipsis: the token before it is judged (and found cut).
  const single = tokenOfString(value.replace(/(?:…|\.\.\.)$/, ''));
  if (single) return [{ path: '', ...single }];
  const inJson = tokensInJson(value);
  if (inJson) return inJson;
  return findTokens(value, { maxTokens: 20, includeLongLines: true }).map((t, index) => ({
    path: `#${index + 1}`,
    kind: t.kind,
    token: t.value,
  }));
}

async function topFrameOf(session: vscode.DebugSession, threadId: number): Promise<number | undefined> {
  const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as
    { stackFrames?: { id: number }[] } | undefined;
  return trace?.stackFrames?.[0]?.id;
}
