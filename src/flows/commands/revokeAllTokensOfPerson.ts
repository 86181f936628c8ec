import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import { resolveClient } from '../../clients/commandArgs';
import { inertLabel, inertText } from '../../slashid/untrustedText';
import type { Person } from '../../slashid/schemas';

export interface RevokeAllResult {
  readonly personId: string;
  /** RFC 3339; absent = now. */
  readonly until?: string;
}

/** How many persons one search offers. */
const PERSON_PICK_LIMIT = 50;

/**
 * "SlashID: Revoke All Tokens of a Person": every token a confidential client holds for a person (or
 * those issued before a date), after a person search, an optional "issued before" and a modal
 * confirmation (`POST /oauth2/tokens/revoke-all` with the client's stored secret).
 */
export async function revokeAllTokensOfPerson(services: Services, node?: unknown): Promise<RevokeAllResult | undefined> {
  const ref = await resolveClient(services, node, "Revoke a person's tokens held by which client?", (c) => c.public !== true);
  if (!ref) return undefined;
  const { target, client } = ref;
  const name = inertText(client.client_name || client.client_id, 100);
  if (client.public) {
    throw new UserFacingError(
      `"${name}" is a public client, and only a confidential client can revoke all of a person's tokens; choose a confidential client.`,
    );
  }
  const secret = await services.vault.getClientSecret(target.connection.id, client.client_id);
  if (!secret) {
    throw new UserFacingError(
      `No secret is stored for "${name}", so it cannot revoke tokens; store it with "SlashID: Store Existing Client Secret" (or rotate it) and try again.`,
    );
  }
  const api = await services.orgApis.forTarget(target);
  const person = await pickPerson(services, api.searchPersons.bind(api), target.connection.name);
  if (!person) return undefined;
  const who = personLabel(person);
  const untilText = await services.ui.input({
    title: `Revoke the tokens of ${who}`,
    prompt: 'Only tokens issued before (optional): a date-time such as 2026-11-29T10:00:00Z; leave empty for every token up to now',
    value: '',
    validate: (value) =>
      value.trim() === '' || !Number.isNaN(Date.parse(value.trim()))
        ? undefined
        : 'Enter a date-time such as 2026-11-29T10:00:00Z, or nothing.',
  });
  if (untilText === undefined) return undefined;
  const until = untilText.trim() ? new Date(Date.parse(untilText.trim())).toISOString() : undefined;
  const confirmed = await services.ui.confirm(
    `Revoke every token "${name}" holds for ${who}?`,
    `SlashID revokes the access and refresh tokens (and unused authorization codes) that this client holds for the person, issued ${until ? `at or before ${until}` : 'up to now'}. Apps using them must sign the person in again. Tokens of other clients are not affected.\n\nPerson ID: ${person.person_id}`,
    'Revoke All',
  );
  if (!confirmed) return undefined;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Revoking the tokens of ${who}…` }, () =>
    api.revokeAllTokens({
      client: { clientId: client.client_id, clientSecret: secret },
      personId: person.person_id,
      ...(until ? { until } : {}),
    }),
  );
  services.log.info(
    'flows',
    `revoked the tokens client ${client.client_id} holds for person ${person.person_id}${until ? ` issued at or before ${until}` : ''}`,
  );
  void services.ui.info(`Revoked every token "${name}" held for ${who}${until ? ` issued at or before ${until}` : ''}.`);
  return { personId: person.person_id, ...(until ? { until } : {}) };
}

async function pickPerson(
  services: Services,
  search: (text: string, page?: { limit?: number }) => Promise<Person[]>,
  orgName: string,
): Promise<Person | undefined> {
  const text = await services.ui.input({
    title: 'Whose tokens?',
    prompt: 'The person: an email address, a phone number with its country code, a person ID or a username (empty: list the first persons)',
    value: '',
  });
  if (text === undefined) return undefined;
  const persons = await search(text, { limit: PERSON_PICK_LIMIT });
  if (persons.length === 0) {
    throw new UserFacingError(
      `No person of ${inertText(orgName, 100)} matches ${JSON.stringify(inertText(text.trim(), 80))}; check the spelling (a phone number needs its country code) and try again.`,
    );
  }
  const picked = await services.ui.pick(
    persons.map((p) => ({
      label: inertLabel(personLabel(p), 200),
      description: p.active ? undefined : 'inactive',
      detail: p.person_id,
      person: p,
    })),
    { placeholder: 'Revoke the tokens of which person?' },
  );
  return picked?.person;
}

function personLabel(person: Person): string {
  const handles = (person.handles ?? []).map((h) => h.value);
  return inertText(handles.length > 0 ? handles.join(', ') : person.person_id, 200);
}
