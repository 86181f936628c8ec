import * as vscode from 'vscode';
import type { Services } from '../../services';
import type { OAuth2Client, UpdateClientRequest } from '../../slashid/schemas';
import type { GrantType } from '../../slashid/contract';
import { formatDuration } from '../../tokens/times';
import { resolveClient } from '../commandArgs';
import { UserFacingError, describeFailure } from '../../common/failures';
import { checkClientField, parseDurationInput, splitList } from '../clientInput';
import { inertLabel } from '../../slashid/untrustedText';
import { isLostAnswer, namingClient } from '../../slashid/errors';

type Field = 'client_name' | 'scopes' | 'redirect_uris' | 'grant_types' | 'access_token_duration' | 'refresh_token_duration';
type Patch = UpdateClientRequest;

/**
 * "SlashID: Edit Client": pick a field (current values shown), enter the new value, `PATCH` it.
 * Fields as the API allows: name, scopes, redirect URIs, grant types, the two token lifetimes.
 */
export async function editClient(services: Services, node?: unknown): Promise<OAuth2Client | undefined> {
  const ref = await resolveClient(services, node, 'Edit which client?');
  if (!ref) {
    return undefined;
  }
  const { target, client } = ref;
  type Item = vscode.QuickPickItem & { field: Field };
  const items: Item[] = [
    { label: 'Name', description: client.client_name, field: 'client_name' },
    { label: 'Scopes', description: client.scopes.join(' ') || '(none)', field: 'scopes' },
    { label: 'Redirect URIs', description: (client.redirect_uris ?? []).join(' ') || '(none)', field: 'redirect_uris' },
    { label: 'Grant types', description: client.grant_types.join(', '), field: 'grant_types' },
    {
      label: 'Access token lifetime',
      description: client.access_token_duration ? formatDuration(client.access_token_duration) : 'default',
      field: 'access_token_duration',
    },
    {
      label: 'Refresh token lifetime',
      description: client.refresh_token_duration ? formatDuration(client.refresh_token_duration) : 'default',
      field: 'refresh_token_duration',
    },
  ];
  const picked = await services.ui.pick(items, { title: `Edit "${client.client_name}"`, placeholder: 'Which setting?' });
  if (!picked) {
    return undefined;
  }
  const patch = await askPatch(services, client, picked.field);
  if (!patch) {
    return undefined;
  }
  const api = await services.orgApis.forTarget(target);
  let updated: OAuth2Client;
  try {
    updated = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Saving "${inertLabel(client.client_name)}"…` },
      () => api.updateClient(client.client_id, patch),
    );
  } catch (err) {
    namingClient(err, client.client_name);
    if (isLostAnswer(err)) {
      services.model.invalidate(target);
      throw new UserFacingError(
        `The change to "${client.client_name}" was sent but no answer arrived (${describeFailure(err)}). SlashID may have saved it: the list is refreshed, check the client before editing again.`,
      );
    }
    throw err;
  }
  services.model.upsertClient(target, updated);
  services.log.info('clients', `updated ${Object.keys(patch).join(', ')} of ${client.client_id}`);
  void services.ui.info(`Saved ${picked.label.toLowerCase()} of "${updated.client_name}".`);
  return updated;
}

async function askPatch(services: Services, client: OAuth2Client, field: Field): Promise<Patch | undefined> {
  switch (field) {
    case 'client_name': {
      const v = await services.ui.input({
        title: 'Client name',
        value: client.client_name,
        validate: (t: string) => (t.trim() ? undefined : 'Enter a name.'),
      });
      return v === undefined ? undefined : { client_name: v.trim() };
    }
    case 'scopes': {
      const v = await services.ui.input({ title: 'Scopes, separated by spaces', value: client.scopes.join(' ') });
      return v === undefined ? undefined : { scopes: splitList(v) };
    }
    case 'redirect_uris': {
      const needsOne = client.grant_types.includes('authorization_code');
      const v = await services.ui.input({
        title: 'Redirect URIs, separated by spaces',
        value: (client.redirect_uris ?? []).join(' '),
        validate: (t: string) => {
          const uris = splitList(t);
          if (needsOne && uris.length === 0) {
            return 'This client uses the authorization code grant, which needs at least one redirect URI.';
          }
          return checkClientField('redirect_uris', uris);
        },
      });
      return v === undefined ? undefined : { redirect_uris: splitList(v) };
    }
    case 'grant_types': {
      const options = ['client_credentials', 'authorization_code'] as const;
      const picked = await services.ui.pickMany(
        options.map((g) => ({ label: g, picked: client.grant_types.includes(g) })),
        { title: 'Grant types', placeholder: 'Select at least one' },
      );
      if (!picked) {
        return undefined;
      }
      if (picked.length === 0) {
        void services.ui.warn('A client needs at least one grant type; nothing was changed.');
        return undefined;
      }
      const grants: GrantType[] = picked.map((p) => p.label);
      if (grants.includes('authorization_code') && (client.redirect_uris ?? []).length === 0) {
        void services.ui.warn('Add a redirect URI before enabling the authorization code grant; nothing was changed.');
        return undefined;
      }
      return { grant_types: grants };
    }
    case 'access_token_duration':
    case 'refresh_token_duration': {
      const current = client[field];
      const v = await services.ui.input({
        title: field === 'access_token_duration' ? 'Access token lifetime' : 'Refresh token lifetime',
        prompt: 'Seconds, or a number with s, m, h or d (for example 3600, 15m, 24h, 10d)',
        value: current !== undefined ? String(current) : '',
        validate: (t: string) => {
          const r = parseDurationInput(t);
          return 'error' in r ? r.error : undefined;
        },
      });
      if (v === undefined) {
        return undefined;
      }
      const r = parseDurationInput(v) as { seconds: number };
      return { [field]: r.seconds };
    }
  }
}
