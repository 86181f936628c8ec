import * as z from 'zod/mini';
import { inertText } from '../slashid/untrustedText';
import { refused, type ChatTool } from './chatTool';
import { orgField } from './inputFields';
import { clientSummary, findOrg, orgOf } from './toolTargets';

const input = z.object({ org: orgField });

/** The most clients one reply lists (a model needs names and IDs, not thousands of them). */
const MAX_LISTED = 200;

/** slashid_listClients: an organization's OAuth2 clients (names, IDs, grant types; never a secret). */
export const listClientsTool: ChatTool<typeof input> = {
  name: 'slashid_listClients',
  input,
  reach: 'organization',
  invocationMessage: ({ org }) => `Listing the OAuth2 clients of ${inertText(org, 80)}`,
  async run(services, { org }) {
    const found = await findOrg(services, org);
    if ('error' in found) return refused(found.error);
    const state = await services.model.load(found.target);
    if (state.kind === 'error') return refused(state.message);
    if (state.kind !== 'loaded') return refused('The clients are not loaded yet; try again.');
    const withSecret = services.vault.clientsWithSecret(found.target.connection.id);
    return {
      ok: true,
      ...orgOf(found.target),
      clientCount: state.clients.length,
      clients: state.clients.slice(0, MAX_LISTED).map((c) => ({ ...clientSummary(c), secretStoredInVsCode: withSecret.has(c.client_id) })),
      ...(state.clients.length > MAX_LISTED ? { note: `Only the first ${MAX_LISTED} clients (by name) are listed.` } : {}),
    };
  },
};
