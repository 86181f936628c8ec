import * as vscode from 'vscode';
import { UserFacingError } from '../common/failures';
import type { DebugSessionTracker } from '../shell/debugSessionTracker';

/**
 * Reading variables of paused programs. The sessions themselves are tracked from activation by the
 * shell's `DebugSessionTracker`; the token code that reads variables (`pausedPrograms.ts`) loads with
 * the commands.
 */

/** A variable as the Debug Adapter Protocol describes it (`DebugProtocol.Variable`), the fields used here. */
export interface DebugVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
  readonly evaluateName?: string;
  readonly variablesReference: number;
  /** `lazy`: the value is read (a getter run) only when its `variablesReference` is. */
  readonly presentationHint?: { readonly lazy?: boolean };
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

/** At most this many variables are read in one `variables` request. */
const MAX_CHILDREN = 300;

/**
 * The debug sessions of this window, for reading variables of paused programs: the sessions and their
 * adapters' capabilities as the activation shell's tracker recorded them, and the requests that read a
 * paused program (evaluate, variables, stack trace).
 */
export class DebugSessions {
  constructor(private readonly tracker: DebugSessionTracker) {}

  session(id: string | undefined): vscode.DebugSession | undefined {
    if (id === undefined) return vscode.debug.activeStackItem?.session ?? vscode.debug.activeDebugSession;
    const active = vscode.debug.activeDebugSession;
    if (active?.id === id) return active;
    const item = vscode.debug.activeStackItem;
    if (item?.session.id === id) return item.session;
    return this.tracker.sessionById(id);
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
   * the session started before this extension, its capabilities unknown), `variables` otherwise. Never
   * `repl`: there adapters run what is typed as the person's own command (side effects, output included).
   */
  async evaluate(session: vscode.DebugSession, expression: string, frameId: number | undefined): Promise<EvaluatedValue> {
    const clipboard = this.tracker.supportsClipboardContext(session.id);
    const contexts = clipboard === true ? ['clipboard'] : clipboard === false ? ['variables'] : ['clipboard', 'variables'];
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

  /** A variable's children (`variables` request), at most `MAX_CHILDREN`. */
  async children(session: vscode.DebugSession, variablesReference: number): Promise<DebugVariable[]> {
    const body = (await session.customRequest('variables', { variablesReference })) as { variables?: DebugVariable[] } | undefined;
    return (body?.variables ?? []).slice(0, MAX_CHILDREN);
  }
}

export interface EvaluatedValue {
  readonly result: string;
  readonly variablesReference: number;
  readonly context: string;
}

export class EvaluationError extends UserFacingError {}

async function topFrameOf(session: vscode.DebugSession, threadId: number): Promise<number | undefined> {
  const trace = (await session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 })) as
    { stackFrames?: { id: number }[] } | undefined;
  return trace?.stackFrames?.[0]?.id;
}
