import type * as vscode from 'vscode';
import { stringFromDebugValue } from '../tokens/stringLiterals';
import { cutJwtIn } from '../tokens/cutTokens';
import { joinPath, tokensInDebugValue, type TokenInValue } from '../tokens/tokensInValues';
import { mayHoldToken } from '../tokens/mayHoldToken';
import type { DebugSessions, DebugVariable, EvaluatedValue, VariableMenuContext } from './debugSessions';

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

/** At most this many variables are read when looking through a scope or an object for tokens. */
const MAX_VARIABLES_READ = 300;
const MAX_DEPTH = 3;

/**
 * The tokens a variable holds, read in full: a string that is a token (or a JSON text holding some),
 * or the token-valued fields of an object, found through its children. `evaluatedWith` and `displayedOnly` say whether the
 * debugger evaluated the value again or only its displayed text could be read (and why).
 */
export async function tokensOf(debug: DebugSessions, context: VariableMenuContext): Promise<VariableTokens> {
  const { variable } = context;
  const session = debug.session(context.sessionId);
  if (!session) {
    return fromDisplayedValue(variable, 'the debug session has ended');
  }
  const expression = variable.evaluateName;
  if (variable.variablesReference > 0) {
    return { isObject: true, tokens: await tokensInChildren(debug, session, variable.variablesReference, '', 0, { read: 0 }) };
  }
  if (expression === undefined) {
    return fromDisplayedValue(variable, 'the debugger gives no expression for this variable');
  }
  let evaluated: EvaluatedValue;
  try {
    evaluated = await debug.evaluate(session, expression, await debug.frameOf(session));
  } catch (err) {
    return fromDisplayedValue(variable, `the debugger could not evaluate it (${err instanceof Error ? err.message : String(err)})`);
  }
  if (evaluated.variablesReference > 0) {
    return { isObject: true, tokens: await tokensInChildren(debug, session, evaluated.variablesReference, '', 0, { read: 0 }) };
  }
  return { isObject: false, ...tokensAndCut(evaluated.result), evaluatedWith: evaluated.context };
}

/**
 * Every token held by the variables of the paused frame's scopes (locals, closures; not the
 * "expensive" ones such as globals), each read in full: what the palette offers, since VS Code has no
 * API for the variable selected in the Variables view. Undefined when no program is paused.
 */
export async function tokensInFocusedFrame(
  debug: DebugSessions,
): Promise<{ session: vscode.DebugSession; tokens: TokenInValue[] } | undefined> {
  const frame = await debug.focusedFrame();
  if (!frame) return undefined;
  const { session, frameId } = frame;
  const body = (await session.customRequest('scopes', { frameId })) as
    { scopes?: { name: string; variablesReference: number; expensive?: boolean }[] } | undefined;
  const tokens: TokenInValue[] = [];
  const budget = { read: 0 };
  for (const scope of (body?.scopes ?? []).filter((s) => !s.expensive)) {
    tokens.push(...(await tokensInChildren(debug, session, scope.variablesReference, '', 0, budget)));
    if (budget.read >= MAX_VARIABLES_READ) break;
  }
  return { session, tokens };
}

function fromDisplayedValue(variable: DebugVariable, reason: string): VariableTokens {
  return { isObject: variable.variablesReference > 0, ...tokensAndCut(variable.value), displayedOnly: reason };
}

/** Token-valued fields under an object, depth first; strings that may hold a token are evaluated again in full. */
async function tokensInChildren(
  debug: DebugSessions,
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
    children = await debug.children(session, reference);
  } catch {
    return found;
  }
  budget.read += children.length;
  const pathOf = (child: DebugVariable) => joinPath(path, /^\d+$/.test(child.name) ? `[${child.name}]` : child.name);
  // The values at this level first, then the objects under it (breadth first: a scope's own token
  // variables are found before the budget goes into `module` or `require`); functions and internal
  // slots (`[[Prototype]]`, `__proto__`) hold no token.
  const objects: DebugVariable[] = [];
  for (const child of children) {
    if (child.variablesReference > 0) {
      if (!child.name.startsWith('[[') && child.name !== '__proto__' && !isFunction(child)) objects.push(child);
      continue;
    }
    if (!mayHoldToken(child.value)) continue;
    let text = child.value;
    if (child.evaluateName !== undefined) {
      try {
        text = (await debug.evaluate(session, child.evaluateName, await debug.frameOf(session))).result;
      } catch {
        // Keep the displayed value; a cut token says so when decoded.
      }
    }
    for (const t of tokensInDebugValue(text)) found.push({ ...t, path: joinPath(pathOf(child), t.path) });
  }
  for (const child of objects) {
    if (budget.read >= MAX_VARIABLES_READ) break;
    found.push(...(await tokensInChildren(debug, session, child.variablesReference, pathOf(child), depth + 1, budget)));
  }
  return found;
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
  const tokens = tokensInDebugValue(text);
  if (tokens.length > 0 || !mayHoldToken(text)) return { tokens };
  const cut = cutJwtIn(stringFromDebugValue(text).value);
  return cut === undefined ? { tokens } : { tokens, cut };
}

/** A function value (`ƒ name(…)` in js-debug, `<function …>` in Python, or typed so): it holds no token. */
function isFunction(variable: DebugVariable): boolean {
  return (
    /^function$/i.test(variable.type ?? '') || variable.value.startsWith('ƒ') || /^<(?:bound )?(?:function|method)\b/.test(variable.value)
  );
}
