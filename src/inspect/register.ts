import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { HOVER_SELECTOR, TokenHoverProvider } from './tokenHoverProvider';

/** Token inspection: the hover, "SlashID: Decode Token" and "SlashID: Retrieve OIDC Tokens". */
export function registerInspection(services: Services): void {
  services.context.subscriptions.push(vscode.languages.registerHoverProvider(HOVER_SELECTOR, new TokenHoverProvider(services)));
  // The commands open the token viewer, whose message protocol builds zod schemas when it loads: load them on first use.
  registerCommand(services, 'slashid.tokens.decode', async (argument?: unknown) =>
    (await import('./commands/decodeToken.js')).decodeTokenCommand(services, argument),
  );
  registerCommand(services, 'slashid.oidc.retrieve', async (argument?: unknown, node?: unknown) =>
    (await import('./commands/retrieveOidcTokens.js')).retrieveOidcTokens(services, argument, node),
  );
}
