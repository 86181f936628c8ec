import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { TokenHoverProvider } from './tokenHoverProvider';
import { TerminalTokenLinkProvider } from './terminalTokenLinks';
import { DebugSessions } from './debugSessions';

/**
 * Token inspection: the hover (every language and scheme), token links in terminals and "SlashID: Decode
 * Token from Terminal" (their keyboard way), "SlashID: Decode Token" (editors, palette, and the Variables
 * and Watch views of a paused program) and "SlashID: Retrieve OIDC Tokens".
 */
export function registerInspection(services: Services): void {
  const programs = new DebugSessions(services.shell.debugSessions);
  services.shell.tokenHover(new TokenHoverProvider(services));
  services.shell.terminalLinks(new TerminalTokenLinkProvider(services));
  // The commands open the token viewer, whose message protocol builds zod schemas when it loads: load them on first use.
  registerCommand(services, 'slashid.tokens.decode', async (argument?: unknown) =>
    (await import('./commands/decodeToken.js')).decodeTokenCommand(services, programs, argument),
  );
  registerCommand(services, 'slashid.tokens.decodeFromTerminal', async () =>
    (await import('./commands/decodeTerminalToken.js')).decodeTerminalToken(services),
  );
  registerCommand(services, 'slashid.debug.decodeVariable', async (node?: unknown) =>
    (await import('./commands/decodeDebugVariable.js')).decodeDebugVariable(services, programs, node),
  );
  registerCommand(services, 'slashid.oidc.retrieve', async (argument?: unknown, node?: unknown) =>
    (await import('./commands/retrieveOidcTokens.js')).retrieveOidcTokens(services, argument, node),
  );
}
