import * as vscode from 'vscode';
import type { Services } from '../../services';
import { MalformedResponseError, SchemaError } from '../../slashid/errors';
import { UserFacingError, describeFailure, isLostAnswer } from '../../common/failures';
import { resolveClient } from '../commandArgs';
import { inertLabel } from '../../slashid/untrustedText';

export type RotateOutcome = 'rotated-and-verified' | 'rotated' | 'rotated-verification-failed' | 'cancelled';

/**
 * "SlashID: Rotate Client Secret": explains that the old secret stops working at once, confirms,
 * calls `PUT …/secret`, stores the new secret before anything else, then proves it with a
 * client-credentials token. A failed call leaves the stored secret untouched; a lost answer says so.
 */
export async function rotateClientSecret(services: Services, node?: unknown): Promise<RotateOutcome> {
  const ref = await resolveClient(services, node, 'Rotate the secret of which client?');
  if (!ref) {
    return 'cancelled';
  }
  const { target, client } = ref;
  const confirm = await services.ui.confirm(
    `Rotate the secret of "${client.client_name}"?`,
    `SlashID issues a new secret and the current one stops working at once: every service that uses it will fail to get tokens until it has the new secret. The new secret is stored in VS Code's secret storage.\n\nClient ID: ${client.client_id}`,
    'Rotate Secret',
  );
  if (!confirm) {
    return 'cancelled';
  }
  const api = await services.orgApis.forTarget(target);
  let secret: string;
  try {
    secret = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Rotating the secret of "${inertLabel(client.client_name)}"…` },
      async () => (await api.rotateClientSecret(client.client_id)).client_secret,
    );
  } catch (err) {
    if (isLostAnswer(err)) {
      throw new UserFacingError(
        `The rotation request for "${client.client_name}" was sent but no answer arrived (${describeFailure(err)}). SlashID may have rotated the secret: the stored secret was kept, and if it no longer works, rotate again.`,
      );
    }
    if (err instanceof MalformedResponseError || err instanceof SchemaError) {
      // A 2xx answer that cannot be read: the secret was rotated, and the new one is lost.
      throw new UserFacingError(
        `SlashID rotated the secret of "${client.client_name}" but its answer could not be read (${describeFailure(err)}). The stored secret no longer works: rotate again to get a new one.`,
      );
    }
    throw err;
  }
  // Store before anything else: if the next step fails, the new secret is not lost.
  await services.vault.storeClientSecret(target.connection.id, client.client_id, secret);
  services.log.info('clients', `rotated the secret of ${client.client_id}; new secret stored`);

  const canProve = client.grant_types.includes('client_credentials') && !client.public;
  if (!canProve) {
    void services.ui.info(
      `Rotated the secret of "${client.client_name}" and stored the new one. It was not tried: the client does not use the client-credentials grant.`,
    );
    return 'rotated';
  }
  try {
    const token = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Checking the new secret…' },
      () => api.getClientCredentialsToken(client.client_id, secret),
    );
    services.log.info(
      'clients',
      `new secret of ${client.client_id} verified (token type ${token.token_type}, expires in ${token.expires_in} s)`,
    );
    void services.ui.info(
      `Rotated the secret of "${client.client_name}": the new secret is stored and works (a client-credentials token was issued with it).`,
    );
    return 'rotated-and-verified';
  } catch (err) {
    void services.ui.warn(
      `Rotated the secret of "${client.client_name}" and stored the new one, but getting a token with it failed: ${describeFailure(err)}`,
    );
    return 'rotated-verification-failed';
  }
}
