import type { Services } from '../../services';
import { rotateSecretOf, type RotateOutcome as WriteOutcome } from '../../orgs/clientWrites';
import { resolveClient } from '../commandArgs';

export type RotateOutcome = WriteOutcome | 'cancelled';

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
  const { outcome, problem } = await rotateSecretOf(services, target, client);
  if (outcome === 'rotated') {
    void services.ui.info(
      `Rotated the secret of "${client.client_name}" and stored the new one. It was not tried: the client does not use the client-credentials grant.`,
    );
  } else if (outcome === 'rotated-and-verified') {
    void services.ui.info(
      `Rotated the secret of "${client.client_name}": the new secret is stored and works (a client-credentials token was issued with it).`,
    );
  } else {
    void services.ui.warn(
      `Rotated the secret of "${client.client_name}" and stored the new one, but getting a token with it failed: ${problem}`,
    );
  }
  return outcome;
}
