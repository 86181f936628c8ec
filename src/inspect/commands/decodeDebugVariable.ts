import type { Services } from '../../services';
import { inertLabel } from '../../slashid/untrustedText';
import { openTokenViewer, type OpenedToken } from '../openTokenViewer';
import { asVariableMenuContext, type DebugSessions } from '../debugSessions';
import { tokensOf } from '../pausedPrograms';
import { pickToken, pickTokenOfPausedProgram } from '../pausedProgramTokens';

/**
 * "SlashID: Decode Token" in the Variables and Watch views of a paused program: the variable VS Code
 * passes (`{ sessionId, container, variable }`) is read again in full through the debugger and its
 * token opened in the token viewer, decoded and verified. An object (or a JSON string) with
 * token-valued fields offers the tokens it holds; a value without a token says so.
 *
 * Without a variable (a keybinding), it offers the tokens held by the paused frame's variables.
 */
export async function decodeDebugVariable(services: Services, programs: DebugSessions, node?: unknown): Promise<OpenedToken | undefined> {
  const context = asVariableMenuContext(node);
  if (!context) {
    const picked = await pickTokenOfPausedProgram(services, programs);
    if (picked === 'not-paused') {
      void services.ui.info(
        'No program is paused: stop at a breakpoint, then run Decode Token on a variable of the Variables or Watch view.',
      );
      return undefined;
    }
    if (picked === 'none') {
      void services.ui.info('No variable of the paused frame holds a token; run Decode Token on a variable of the Watch view that does.');
      return undefined;
    }
    return picked;
  }
  const name = inertLabel(context.variable.name);
  const read = await tokensOf(programs, context);
  if (read.tokens.length === 0 && read.cut !== undefined) {
    const why = read.displayedOnly !== undefined ? ` Only the displayed value could be read: ${read.displayedOnly}.` : '';
    void services.ui.warn(`The value of "${name}" holds a JWT, but it is not whole. ${read.cut}${why}`);
    return undefined;
  }
  if (read.tokens.length === 0) {
    void services.ui.info(
      read.isObject
        ? `The object "${name}" holds no token in its fields; run Decode Token on a variable whose value is a JWT or an opaque SlashID token.`
        : `The value of "${name}" holds no token; run Decode Token on a variable whose value is a JWT or an opaque SlashID token.`,
    );
    return undefined;
  }
  const chosen = read.tokens.length === 1 ? read.tokens[0] : await pickToken(services, read.tokens, name);
  if (!chosen) return undefined;
  const where = chosen.path === '' ? `the variable "${name}"` : `${inertLabel(chosen.path)} of the variable "${name}"`;
  const how =
    read.displayedOnly !== undefined
      ? `as the Variables view shows it, which may be shortened: ${read.displayedOnly}`
      : read.evaluatedWith !== undefined
        ? `read in full by the debugger (${read.evaluatedWith} context)`
        : 'read in full by the debugger';
  return openTokenViewer(services, chosen.token, {
    title: chosen.path === '' ? name : `${name} → ${inertLabel(chosen.path)}`,
    summary: `From ${where} of the paused program, ${how}.`,
  });
}
