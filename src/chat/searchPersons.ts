import * as z from 'zod/mini';
import { refused, type ChatTool } from './chatTool';
import { orgField } from './inputFields';
import { findOrg, orgOf } from './toolTargets';
import { notAsConfirmed, sameTarget } from './confirmedTargets';
import { describeTarget } from '../orgs/orgTarget';
import { MAX_PERSON_SEARCH_LENGTH, PERSON_SEARCH_LIMIT } from '../slashid/personSearch';
import { inertText } from '../slashid/untrustedText';

const input = z.object({
  org: orgField,
  search: z.optional(
    z
      .string()
      .check(
        z.maxLength(MAX_PERSON_SEARCH_LENGTH),
        z.describe(
          'What to look for: an email address, a phone number with its country code (+…), a person ID or a username. Empty or absent lists everyone (the first 50).',
        ),
      ),
  ),
});

/**
 * slashid_searchPersons (asks first: its answer is personal data, emails and phone numbers): persons of an org
 * found with the SCIM filter the API client builds from the search text.
 */
export const searchPersonsTool: ChatTool<typeof input> = {
  name: 'slashid_searchPersons',
  input,
  reach: 'organization',
  invocationMessage: ({ search }) => (search ? `Looking for persons matching ${inertText(search, 80)}` : 'Listing persons'),
  async confirmation(services, { org, search }) {
    const found = await findOrg(services, org);
    const what = search ? `the persons matching "${inertText(search, 80)}"` : `the first ${PERSON_SEARCH_LIMIT} persons`;
    if ('error' in found) {
      return {
        messages: {
          title: 'Search persons?',
          message: `This request cannot run as given (${found.error}). Continue lets the tool report it; nothing will be read.`,
        },
      };
    }
    const where = `${inertText(describeTarget(found.target), 120)} (org ${inertText(found.target.orgId, 80)})`;
    return {
      messages: {
        title: `Give the chat the persons of ${inertText(describeTarget(found.target), 120)}?`,
        message: `SlashID reads ${what} of ${where} with your API key, and the chat's model gets their person IDs and handles (email addresses, phone numbers, usernames): personal data.`,
      },
      confirmed: { target: found.target },
    };
  },
  async run(services, { org, search }, _token, confirmed) {
    const found = await findOrg(services, org);
    if ('error' in found) return refused(found.error);
    if (!confirmed.take((c) => sameTarget(c.target, found.target))) {
      return refused(notAsConfirmed('slashid_searchPersons', `the organization ${inertText(describeTarget(found.target), 120)}`));
    }
    const api = await services.orgApis.forTarget(found.target);
    // A SCIM filter built from the text (an email, a phone number, a person ID, a username), never the text itself.
    const persons = await api.searchPersons(search ?? '', { limit: PERSON_SEARCH_LIMIT + 1, offset: 0 });
    return {
      ok: true,
      ...orgOf(found.target),
      persons: persons.slice(0, PERSON_SEARCH_LIMIT).map((p) => ({
        personId: inertText(p.person_id, 80),
        active: p.active,
        handles: (p.handles ?? []).slice(0, 10).map((h) => `${inertText(h.type, 40)}:${inertText(h.value, 200)}`),
        ...(p.region ? { region: inertText(p.region, 40) } : {}),
      })),
      ...(persons.length > PERSON_SEARCH_LIMIT ? { note: `More than ${PERSON_SEARCH_LIMIT} persons match; search more precisely.` } : {}),
    };
  },
};
