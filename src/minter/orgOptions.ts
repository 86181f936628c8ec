import type { Services } from '../services';
import { rootTarget, shortId, targetKey, type OrgTarget } from '../orgs/orgTarget';
import type { OrgOption } from '../tokenPanels/protocol';

/** Connected organizations and the sub-organizations the tree has loaded, for the organization picker. */
export function orgOptions(services: Services): OrgOption[] {
  const options: OrgOption[] = [];
  for (const connection of services.connections.all()) {
    const root = rootTarget(connection);
    options.push({
      key: targetKey(root),
      label: connection.name,
      detail: `${connection.orgId} · ${connection.environment}`,
      isSubOrg: false,
    });
    const state = services.model.peek(root);
    if (state.kind === 'loaded') {
      for (const subOrgId of state.subOrgIds) {
        options.push({
          key: targetKey({ connection, orgId: subOrgId }),
          label: `${connection.name} › ${shortId(subOrgId)}`,
          detail: `sub-organization ${subOrgId}`,
          isSubOrg: true,
        });
      }
    }
  }
  return options;
}

/**
 * The org target a key names, when it is still connected (a sub-organization must be one the tree
 * loaded for that connection). Undefined otherwise: a webview never chooses an arbitrary org ID.
 */
export function resolveOrgKey(services: Services, key: string): OrgTarget | undefined {
  const hash = key.lastIndexOf('#');
  if (hash <= 0) return undefined;
  const connection = services.connections.get(key.slice(0, hash));
  if (!connection) return undefined;
  const orgId = key.slice(hash + 1);
  if (orgId === connection.orgId) return rootTarget(connection);
  const state = services.model.peek(rootTarget(connection));
  return state.kind === 'loaded' && state.subOrgIds.includes(orgId) ? { connection, orgId } : undefined;
}
