import * as z from 'zod/mini';
import { cancelled, refused, type ChatTool } from './chatTool';
import { clientIdField, orgField } from './inputFields';
import { clientSummary, orgOf } from './toolTargets';
import { clientWriteConfirmation, confirmedClient, nameClient } from './clientWriteConfirmation';
import { deleteClientOf } from '../orgs/clientWrites';
import { inertText } from '../slashid/untrustedText';

const input = z.object({ org: orgField, clientId: clientIdField });

/** slashid_deleteClient (asks first): deletes a client in SlashID and its secret stored in VS Code. */
export const deleteClientTool: ChatTool<typeof input> = {
  name: 'slashid_deleteClient',
  input,
  invocationMessage: ({ clientId }) => `Deleting the OAuth2 client ${inertText(clientId, 80)}`,
  confirmation: (services, value) =>
    clientWriteConfirmation(services, value, 'Delete', (client, target) => ({
      title: `Delete the OAuth2 client "${inertText(client.client_name, 200)}"?`,
      message: `SlashID deletes ${nameClient(client, target)} and revokes its tokens, and its secret stored in VS Code is removed. This cannot be undone.`,
    })),
  reach: 'organization',
  async run(services, { org, clientId }, token, confirmed) {
    const known = await confirmedClient(services, 'slashid_deleteClient', { org, clientId }, confirmed);
    if ('error' in known) return refused(known.error);
    if (token.isCancellationRequested) return cancelled('slashid_deleteClient');
    await deleteClientOf(services, known.target, known.client);
    return { ok: true, ...orgOf(known.target), deleted: clientSummary(known.client) };
  },
};
