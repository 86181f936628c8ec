import * as vscode from 'vscode';
import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { decodeTokenCommand } from './decodeTokenCommand';
import { retrieveOidcTokens } from './oidcTokensCommand';
import { HOVER_SELECTOR, TokenHoverProvider } from './tokenHoverProvider';

/** Token inspection: the hover, "SlashID: Decode Token" and "SlashID: Retrieve OIDC Tokens". */
export function registerInspection(services: Services): void {
  services.context.subscriptions.push(vscode.languages.registerHoverProvider(HOVER_SELECTOR, new TokenHoverProvider(services)));
  registerCommand(services, 'slashid.tokens.decode', (argument?: unknown) => decodeTokenCommand(services, argument));
  registerCommand(services, 'slashid.oidc.retrieve', (argument?: unknown, node?: unknown) => retrieveOidcTokens(services, argument, node));
}
