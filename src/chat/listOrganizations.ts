import * as z from 'zod/mini';
import type { ChatTool } from './chatTool';
import { rootTarget } from '../orgs/orgTarget';
import { inertText } from '../slashid/untrustedText';

const input = z.object({});

/** slashid_listOrganizations: the connected organizations (and the sub-organizations loaded for them). */
export const listOrganizationsTool: ChatTool<typeof input> = {
  name: 'slashid_listOrganizations',
  input,
  // Reads this window's connections only: nothing is sent.
  reach: 'local',
  invocationMessage: () => 'Listing the connected SlashID organizations',
  run(services) {
    const organizations = services.connections.all().map((connection) => {
      const state = services.model.peek(rootTarget(connection));
      return {
        orgId: connection.orgId,
        name: inertText(connection.name, 200),
        environment: connection.environment,
        baseUrl: inertText(connection.baseUrl, 300),
        ...(state.kind === 'loaded' && state.subOrgIds.length > 0
          ? { subOrganizationIds: state.subOrgIds.slice(0, 100).map((id) => inertText(id, 80)) }
          : {}),
      };
    });
    return Promise.resolve(
      organizations.length === 0
        ? {
            ok: true,
            organizations,
            note: 'No SlashID organization is connected: the user can connect one with "SlashID: Connect Organization" or start the local emulator with "SlashID: Start Local Emulator".',
          }
        : { ok: true, organizations },
    );
  },
};
