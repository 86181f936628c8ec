import type { Services } from '../services';
import { registerCommand } from '../common/commands';
import { PendingAuthorization } from './pendingAuthorization';
import { runAuthorizationCodeFlow } from './commands/runAuthorizationCodeFlow';

/** The OAuth2 flows run from the editor: the authorization-code flow, fresh tokens, revocation, the hosted UI. */
export function registerFlows(services: Services): void {
  const pending = new PendingAuthorization();
  services.context.subscriptions.push(pending);
  registerCommand(services, 'slashid.flows.runCodeFlow', (node?: unknown) => runAuthorizationCodeFlow(services, pending, node));
  registerCommand(services, 'slashid.flows.cancelSignIn', () => pending.cancel());
}
