import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { PendingAuthorization } from './pendingAuthorization';
import { runAuthorizationCodeFlow } from './commands/runAuthorizationCodeFlow';
import { pasteRedirectAddress } from './commands/pasteRedirectAddress';
import { showPendingSignIn } from './commands/showPendingSignIn';
import { SignInUriHandler } from './signInUriHandler';
import { AccessTokenCache } from './accessTokenCache';
import { AccessTokenStatus } from './accessTokenStatus';
import { copyAccessToken } from './commands/copyAccessToken';
import { revokeAllTokensOfPerson } from './commands/revokeAllTokensOfPerson';
import { HostedUiDocuments } from './hostedUiDocuments';
import { editHostedUiConfiguration } from './commands/editHostedUiConfiguration';
import { INTROSPECT_COMMAND, IntrospectionHoverProvider } from './introspectionHover';
import { introspectTokenAt } from './commands/introspectToken';

/**
 * The OAuth2 flows run from the editor: the authorization-code flow, fresh tokens, revocation, the hosted UI.
 * Returns the pending sign-in, which the test hooks expose.
 */
export function registerFlows(services: Services): PendingAuthorization {
  const pending = new PendingAuthorization();
  services.context.subscriptions.push(pending);
  registerCommand(services, 'slashid.flows.runCodeFlow', (node?: unknown) => runAuthorizationCodeFlow(services, pending, node));
  registerCommand(services, 'slashid.flows.cancelSignIn', () => pending.cancel());
  registerCommand(services, 'slashid.flows.pasteRedirectAddress', () => pasteRedirectAddress(services, pending));
  registerCommand(services, 'slashid.flows.showPendingSignIn', () => showPendingSignIn(services, pending));
  services.shell.uriHandler(new SignInUriHandler(services, pending));

  const cache = new AccessTokenCache();
  const status = new AccessTokenStatus();
  services.context.subscriptions.push(
    status,
    { dispose: () => cache.clear() },
    // A changed or deleted secret (in this window or another) makes its cached tokens suspect.
    services.vault.onDidChange((e) => cache.forget(e.connectionId, e.clientId)),
    services.connections.onDidChange(() => cache.clear()),
  );
  registerCommand(services, 'slashid.flows.revokeAllOfPerson', (node?: unknown) => revokeAllTokensOfPerson(services, node));
  registerCommand(services, 'slashid.clients.copyAccessToken', (node?: unknown) => copyAccessToken(services, cache, status, node));

  const hostedUi = new HostedUiDocuments(services);
  services.context.subscriptions.push(hostedUi);
  services.shell.hostedUiFileSystem(hostedUi);
  registerCommand(services, 'slashid.clients.editHostedUi', (node?: unknown) => editHostedUiConfiguration(services, hostedUi, node));

  services.shell.introspectionHover(new IntrospectionHoverProvider(services));
  registerCommand(services, INTROSPECT_COMMAND, (uri?: unknown, line?: unknown, character?: unknown) =>
    introspectTokenAt(services, uri, line, character),
  );
  return pending;
}
