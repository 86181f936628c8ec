import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { pickClient, pickOrgTarget } from '../orgs/pickers';
import type { OrgTarget } from '../orgs/orgTarget';
import type { TreeNode } from './treeNodes';

export interface ClientRef {
  readonly target: OrgTarget;
  readonly client: OAuth2Client;
}

function isTreeNode(value: unknown): value is TreeNode {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && 'getTreeItem' in value;
}

/** The org a command acts on: from the tree node it was run on, or asked with a quick pick. */
export async function resolveTarget(services: Services, node: unknown, placeholder?: string): Promise<OrgTarget | undefined> {
  if (isTreeNode(node) && node.kind !== 'detail' && node.target) {
    return node.target;
  }
  return pickOrgTarget(services, placeholder);
}

/** The client a command acts on: from the tree node, or asked (org, then client). */
export async function resolveClient(
  services: Services,
  node: unknown,
  placeholder?: string,
  filter?: (client: OAuth2Client) => boolean,
): Promise<ClientRef | undefined> {
  if (isTreeNode(node) && node.kind === 'client') {
    return { target: node.target, client: node.client };
  }
  const target = await resolveTarget(services, node);
  if (!target) {
    return undefined;
  }
  const client = await pickClient(services, target, placeholder, filter);
  return client ? { target, client } : undefined;
}
