import * as vscode from 'vscode';
import type { Services } from '../services';
import type { CreateClientRequest, OAuth2Client } from '../slashid/schemas';
import { MalformedResponseError, SchemaError, isLostAnswer } from '../slashid/errors';
import { UserFacingError, describeFailure } from '../common/failures';
import type { OrgTarget } from './orgTarget';
import { inertLabel } from '../slashid/untrustedText';

/**
 * The writes to an organization's OAuth2 clients, with what must happen around each call: the secret stored
 * before anything else can fail, the clients model updated, and a lost answer said to be uncertain. The client
 * commands (after their questions and confirmation) and the chat tools (after theirs) both run these.
 */

/** Creates a client; a confidential client's secret goes to SecretStorage and is also returned (memory only). */
export async function createClientIn(
  services: Services,
  target: OrgTarget,
  request: CreateClientRequest,
): Promise<{ client: OAuth2Client; secret?: string }> {
  const name = request.client_name;
  const api = await services.orgApis.forTarget(target);
  let created;
  try {
    created = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating OAuth2 client "${inertLabel(name)}"…` },
      () => api.createClient(request),
    );
  } catch (err) {
    // The request was sent: the client may exist (or does, for a 2xx answer that cannot be read) without
    // its one-time secret. Say so, so that "try again" does not make a second client.
    if (isLostAnswer(err)) {
      services.model.invalidate(target);
      throw new UserFacingError(
        `The request to create "${name}" was sent but no answer arrived (${describeFailure(err)}). SlashID may have created the client: refresh the list before creating it again; if it is there, rotate its secret to get one.`,
      );
    }
    if (err instanceof MalformedResponseError || err instanceof SchemaError) {
      services.model.invalidate(target);
      throw new UserFacingError(
        `SlashID created "${name}" but its answer could not be read (${describeFailure(err)}), so its secret was not received. Refresh the list and rotate the new client's secret to get one.`,
      );
    }
    throw err;
  }
  const { client_secret: secret, ...client } = created;
  // The secret is never shown again by the API: store it before anything else can fail. Public
  // clients cannot use a secret, so none is kept for them.
  if (secret && !client.public) {
    await services.vault.storeClientSecret(target.connection.id, client.client_id, secret);
  }
  services.model.upsertClient(target, client);
  services.log.info('clients', `created client ${client.client_id} in ${target.orgId}`);
  return client.public || !secret ? { client } : { client, secret };
}

export type RotateOutcome = 'rotated-and-verified' | 'rotated' | 'rotated-verification-failed';

/**
 * Rotates a client's secret, stores the new one before anything else, then proves it with a client-credentials
 * token when the client uses that grant. `problem` says why the proof failed.
 */
export async function rotateSecretOf(
  services: Services,
  target: OrgTarget,
  client: OAuth2Client,
): Promise<{ outcome: RotateOutcome; problem?: string }> {
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
    return { outcome: 'rotated' };
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
    return { outcome: 'rotated-and-verified' };
  } catch (err) {
    return { outcome: 'rotated-verification-failed', problem: describeFailure(err) };
  }
}

/** Deletes a client and its stored secret; a lost answer refreshes the list and keeps the secret. */
export async function deleteClientOf(services: Services, target: OrgTarget, client: OAuth2Client): Promise<void> {
  const api = await services.orgApis.forTarget(target);
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Deleting "${inertLabel(client.client_name)}"…` },
      () => api.deleteClient(client.client_id),
    );
  } catch (err) {
    if (isLostAnswer(err)) {
      services.model.invalidate(target);
      throw new UserFacingError(
        `The request to delete "${client.client_name}" was sent but no answer arrived (${describeFailure(err)}). SlashID may have deleted it: the list is refreshed; its stored secret was kept.`,
      );
    }
    throw err;
  }
  await services.vault.deleteClientSecret(target.connection.id, client.client_id);
  services.model.removeClient(target, client.client_id);
  services.log.info('clients', `deleted client ${client.client_id}`);
}
