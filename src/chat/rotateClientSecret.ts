import * as z from 'zod/mini';
import { cancelled, refused, type ChatTool } from './chatTool';
import { clientIdField, orgField } from './inputFields';
import { clientSummary, orgOf } from './toolTargets';
import { clientWriteConfirmation, confirmedClient, nameClient } from './clientWriteConfirmation';
import { rotateSecretOf } from '../orgs/clientWrites';
import { inertText } from '../slashid/untrustedText';

const input = z.object({ org: orgField, clientId: clientIdField });

const OUTCOMES = {
  'rotated-and-verified': 'The new secret is stored in VS Code and works: a client-credentials token was issued with it.',
  rotated: 'The new secret is stored in VS Code. It was not tried: the client does not use the client-credentials grant.',
  'rotated-verification-failed': 'The new secret is stored in VS Code, but getting a token with it failed',
} as const;

/** slashid_rotateClientSecret (asks first): a new secret, stored in SecretStorage, proven when it can be; never shown to the chat. */
export const rotateClientSecretTool: ChatTool<typeof input> = {
  name: 'slashid_rotateClientSecret',
  input,
  invocationMessage: ({ clientId }) => `Rotating the secret of ${inertText(clientId, 80)}`,
  confirmation: (services, value) =>
    clientWriteConfirmation(services, value, 'Rotate the secret of', (client, target) => ({
      title: `Rotate the secret of "${inertText(client.client_name, 200)}"?`,
      message: `SlashID issues a new secret for ${nameClient(client, target)} and the current one stops working at once: every service that uses it will fail to get tokens until it has the new secret. The new secret is stored in VS Code's secret storage and is not shown to the chat.`,
    })),
  reach: 'organization',
  async run(services, { org, clientId }, token, confirmed) {
    const known = await confirmedClient(services, 'slashid_rotateClientSecret', { org, clientId }, confirmed);
    if ('error' in known) return refused(known.error);
    if (token.isCancellationRequested) return cancelled('slashid_rotateClientSecret');
    const { outcome, problem } = await rotateSecretOf(services, known.target, known.client);
    return {
      ok: true,
      ...orgOf(known.target),
      client: clientSummary(known.client),
      outcome,
      message: problem ? `${OUTCOMES[outcome]}: ${problem}` : OUTCOMES[outcome],
    };
  },
};
