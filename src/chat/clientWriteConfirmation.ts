import type * as vscode from 'vscode';
import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { describeTarget, type OrgTarget } from '../orgs/orgTarget';
import { inertText } from '../slashid/untrustedText';
import { findClient, findOrg } from './toolTargets';

/**
 * The confirmation of a write to one client: `describe` names exactly what happens to it. When the org or
 * the client cannot be found, the confirmation says so and that nothing will change.
 */
export async function clientWriteConfirmation(
  services: Services,
  input: { org: string; clientId: string },
  action: string,
  describe: (client: OAuth2Client, target: OrgTarget) => vscode.LanguageModelToolConfirmationMessages,
): Promise<vscode.LanguageModelToolConfirmationMessages> {
  const found = await findOrg(services, input.org);
  const known = 'error' in found ? found : await findClient(services, found.target, input.clientId);
  if ('error' in known || 'error' in found) {
    return {
      title: `${action} the client ${inertText(input.clientId, 80)}?`,
      message: `This request cannot run as given (${'error' in known ? known.error : ''}). Continue lets the tool report it; nothing will change.`,
    };
  }
  return describe(known.client, found.target);
}

/** `"name" (client ID …) in Org (org …)`. */
export function nameClient(client: OAuth2Client, target: OrgTarget): string {
  return `"${inertText(client.client_name, 200)}" (client ID ${inertText(client.client_id, 80)}) in ${inertText(describeTarget(target), 120)} (org ${inertText(target.orgId, 80)})`;
}
