import type * as vscode from 'vscode';
import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { describeTarget, type OrgTarget } from '../orgs/orgTarget';
import { inertText } from '../slashid/untrustedText';
import { findClient, findOrg } from './toolTargets';
import type { ToolConfirmation } from './chatTool';
import { notAsConfirmed, sameTarget, type Confirmed } from './confirmedTargets';

/**
 * The confirmation of a write to one client: `describe` names exactly what happens to it, and the client and
 * organization it names are what the write may act on. When the org or the client cannot be found, the
 * confirmation says so and that nothing will change.
 */
export async function clientWriteConfirmation(
  services: Services,
  input: { org: string; clientId: string },
  action: string,
  describe: (client: OAuth2Client, target: OrgTarget) => vscode.LanguageModelToolConfirmationMessages,
): Promise<ToolConfirmation> {
  const found = await findOrg(services, input.org);
  const known = 'error' in found ? found : await findClient(services, found.target, input.clientId);
  if ('error' in known || 'error' in found) {
    return {
      messages: {
        title: `${action} the client ${inertText(input.clientId, 80)}?`,
        message: `This request cannot run as given (${'error' in known ? known.error : ''}). Continue lets the tool report it; nothing will change.`,
      },
    };
  }
  return { messages: describe(known.client, found.target), confirmed: { target: found.target, clientId: known.client.client_id } };
}

/**
 * The client a confirmed write acts on: the input looked up again must name the organization and client ID its
 * confirmation named (another client now has that name, the org was reconnected or removed: refused).
 */
export async function confirmedClient(
  services: Services,
  name: string,
  input: { org: string; clientId: string },
  confirmed: Confirmed,
): Promise<{ target: OrgTarget; client: OAuth2Client } | { error: string }> {
  const found = await findOrg(services, input.org);
  if ('error' in found) return found;
  const known = await findClient(services, found.target, input.clientId);
  if ('error' in known) return known;
  const taken = confirmed.take((c) => sameTarget(c.target, found.target) && c.clientId === known.client.client_id);
  if (!taken)
    return {
      error: notAsConfirmed(
        name,
        `the client "${inertText(known.client.client_name, 200)}" in ${inertText(describeTarget(found.target), 120)}`,
      ),
    };
  return { target: taken.target, client: known.client };
}

/** `"name" (client ID …) in Org (org …)`. */
export function nameClient(client: OAuth2Client, target: OrgTarget): string {
  return `"${inertText(client.client_name, 200)}" (client ID ${inertText(client.client_id, 80)}) in ${inertText(describeTarget(target), 120)} (org ${inertText(target.orgId, 80)})`;
}
