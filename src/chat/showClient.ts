import * as z from 'zod/mini';
import { inertText } from '../slashid/untrustedText';
import { refused, type ChatTool } from './chatTool';
import { clientIdField, orgField } from './inputFields';
import { clientDetails, findClient, findOrg, orgOf } from './toolTargets';

const input = z.object({ org: orgField, clientId: clientIdField });

/** slashid_showClient: one client's details as SlashID has them now (`GET /oauth2/clients/{id}`); never its secret. */
export const showClientTool: ChatTool<typeof input> = {
  name: 'slashid_showClient',
  input,
  reach: 'organization',
  invocationMessage: ({ clientId }) => `Reading the OAuth2 client ${inertText(clientId, 80)}`,
  async run(services, { org, clientId }) {
    const found = await findOrg(services, org);
    if ('error' in found) return refused(found.error);
    const known = await findClient(services, found.target, clientId);
    if ('error' in known) return refused(known.error);
    const api = await services.orgApis.forTarget(found.target);
    const client = await api.getClient(known.client.client_id);
    services.model.upsertClient(found.target, client);
    const hasSecret = services.vault.hasClientSecret(found.target.connection.id, client.client_id);
    return { ok: true, ...orgOf(found.target), client: clientDetails(client, hasSecret) };
  },
};
