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
 * adapters return values whole), `variables` otherwise (never `repl`); the result is unquoted as a
 * string literal of the program's language. Only the variable the person chose is evaluated: from the
 * palette, the frame's tokens are found in what the debugger already shows (`tokensInFocusedFrame`), and
 * a lazy variable (a getter) is never read, since reading it runs the program's code.
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
 * A token the paused frame's scopes show, for the palette's "Decode Token" (VS Code has no API for the
 * variable selected in the Variables view). Only what the adapter already resolved is read: the values
 * the `variables` request returns for the frame's scopes, as the Variables view shows them.
 */
export interface FrameToken extends TokenInValue {
  /** The scope variable whose value holds it. */
  readonly variable: DebugVariable;
  /** The displayed value ends with the start of a JWT: only reading the variable again can give the token (`token` is empty). */
  readonly cut?: true;
}

/**
 * Every token the paused frame's scopes show (locals, closures; not the "expensive" ones such as
 * globals): one `variables` request per scope, and nothing else. No object is expanded and no lazy
 * variable (`presentationHint.lazy`, a getter in js-debug) is read, and nothing is evaluated: adapters
 * that read properties to expand an object (debugpy runs getters and `__repr__`) would run the program's
 * code behind the person's back. A shortened or cut value is read in full only once it is picked
 * (`readInFull`). Undefined when no program is paused.
 */
export async function tokensInFocusedFrame(
  debug: DebugSessions,
): Promise<{ session: vscode.DebugSession; frameId: number; tokens: FrameToken[] } | undefined> {
  const frame = await debug.focusedFrame();
  if (!frame) return undefined;
  const { session, frameId } = frame;
  const body = (await session.customRequest('scopes', { frameId })) as
    { scopes?: { name: string; variablesReference: number; expensive?: boolean }[] } | undefined;
  const tokens: FrameToken[] = [];
  let read = 0;
  for (const scope of (body?.scopes ?? []).filter((s) => !s.expensive)) {
    if (read >= MAX_VARIABLES_READ) break;
    let variables: DebugVariable[];
    try {
      variables = await debug.children(session, scope.variablesReference);
    } catch {
      continue;
    }
    read += variables.length;
    for (const variable of variables) {
      if (variable.variablesReference > 0 || isLazy(variable) || !mayHoldToken(variable.value)) continue;
      const found = tokensInDebugValue(variable.value);
      for (const t of found) tokens.push({ ...t, path: joinPath(variable.name, t.path), variable });
      if (found.length === 0 && variable.evaluateName !== undefined && cutJwtIn(stringFromDebugValue(variable.value).value) !== undefined) {
        tokens.push({ path: variable.name, kind: 'jwt', token: '', variable, cut: true });
      }
    }
  }
  return { session, frameId, tokens };
}

/**
 * The token the person picked, read in full: the variable's `evaluateName` evaluated again (as Decode
 * Token on a variable does: `clipboard` context, or `variables`; never `repl`), this variable only.
 * Falls back to the displayed value when it held the whole token; undefined when only a cut one was shown.
 */
export async function readInFull(
  debug: DebugSessions,
  session: vscode.DebugSession,
  frameId: number,
  chosen: FrameToken,
): Promise<{ token: string; how: string } | undefined> {
  const expression = chosen.variable.evaluateName;
  if (expression !== undefined) {
    try {
      const evaluated = await debug.evaluate(session, expression, frameId);
      const whole = tokensInDebugValue(evaluated.result).find((t) => joinPath(chosen.variable.name, t.path) === chosen.path);
      if (whole) return { token: whole.token, how: `read in full by the debugger (${evaluated.context} context)` };
    } catch {
      // The displayed value, below.
    }
  }
  return chosen.cut ? undefined : { token: chosen.token, how: 'as the Variables view shows it, which may be shortened' };
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
    // A lazy variable (a getter in js-debug) is read only by running the program's code: never.
    if (isLazy(child)) continue;
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

/** A variable the adapter has not read yet (`presentationHint.lazy`): reading it runs the program's code (a getter). */
function isLazy(variable: DebugVariable): boolean {
  return variable.presentationHint?.lazy === true;
}

/** A function value (`ƒ name(…)` in js-debug, `<function …>` in Python, or typed so): it holds no token. */
function isFunction(variable: DebugVariable): boolean {
  return (
    /^function$/i.test(variable.type ?? '') || variable.value.startsWith('ƒ') || /^<(?:bound )?(?:function|method)\b/.test(variable.value)
  );
}
