import * as vscode from 'vscode';
import { describeFailure } from '../../common/failures';
import type { Services } from '../../services';
import { OAuthError } from '../../slashid/errors';
import { resolveClient } from '../commandArgs';

/**
 * "SlashID: Store Existing Client Secret": paste the secret of a client created elsewhere. For
 * client-credentials clients the secret is tried first (a token request) and a rejected one is not stored.
 */
export async function storeClientSecret(services: Services, node?: unknown): Promise<boolean> {
  const ref = await resolveClient(services, node, 'Store a secret for which client?', (c) => !c.public);
  if (!ref) {
    return false;
  }
  const { target, client } = ref;
  const canTry = client.grant_types.includes('client_credentials');
  const api = await services.orgApis.forTarget(target);
  let checkFailure: string | undefined;
  const secret = await services.ui.input({
    title: `Client secret of "${client.client_name}"`,
    prompt: canTry
      ? "Paste the secret. It is tried with a client-credentials token request, then stored in VS Code's secret storage."
      : "Paste the secret. It is stored in VS Code's secret storage.",
    password: true,
    validate: (t) => (t.trim() ? undefined : 'Paste the client secret.'),
  });
  if (!secret) {
    return false;
  }
  if (canTry) {
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking the secret…' }, () =>
        api.getClientCredentialsToken(client.client_id, secret.trim()),
      );
    } catch (err) {
      checkFailure = describeFailure(err);
      if (err instanceof OAuthError) {
        void services.ui.error(`The secret was not stored: SlashID rejected it for "${client.client_name}" (${checkFailure}).`);
        return false;
      }
      const storeAnyway = await services.ui.confirm('The secret could not be checked. Store it anyway?', checkFailure, 'Store Unchecked');
      if (!storeAnyway) {
        return false;
      }
    }
  }
  await services.vault.storeClientSecret(target.connection.id, client.client_id, secret.trim());
  void services.ui.info(
    `Stored the secret of "${client.client_name}" in VS Code's secret storage${canTry && !checkFailure ? ' (checked: SlashID issued a token with it)' : ''}.`,
  );
  return true;
}
