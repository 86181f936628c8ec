import type { Services } from '../services';
import type { OAuth2Client } from '../slashid/schemas';
import { UserFacingError } from '../common/failures';
import { isOwnNode } from '../common/ownNodes';
import { pickClient, pickOrgTarget } from '../orgs/pickers';
import type { OrgTarget } from '../orgs/orgTarget';
import { ClientNode, DetailNode, MessageNode, OrgNode } from './treeNodes';

export interface ClientRef {
  readonly target: OrgTarget;
  readonly client: OAuth2Client;
}

/*
 * Any extension can run our commands with any argument. A node argument counts only when it is one of our
 * own tree nodes (`instanceof` and `isOwnNode`: objects our tree built), and its connection is read again
 * from the connections we stored, so a URL or connection inside an argument is never used. Anything else
 * is ignored: the command then asks, as from the Command Palette.
 */

/** The org target of one of our own tree nodes (with its connection read again); undefined for anything else. */
export function ownTarget(services: Services, node: unknown): OrgTarget | undefined {
  if (!isOwnNode(node) || !(node instanceof OrgNode || node instanceof ClientNode || node instanceof MessageNode) || !node.target) {
    return undefined;
  }
  const connection = services.connections.get(node.target.connection.id);
  if (!connection) {
    throw new UserFacingError(`"${node.target.connection.name}" is no longer connected. Refresh the SlashID view and try again.`);
  }
  return { connection, orgId: node.target.orgId };
}

/** The client of one of our own client nodes (with its connection read again); undefined for anything else. */
export function ownClient(services: Services, node: unknown): ClientRef | undefined {
  if (!isOwnNode(node) || !(node instanceof ClientNode)) {
    return undefined;
  }
  const target = ownTarget(services, node);
  return target && { target, client: node.client };
}

/** One of our own detail rows; undefined for anything else. */
export function ownDetail(node: unknown): DetailNode | undefined {
  return isOwnNode(node) && node instanceof DetailNode ? node : undefined;
}

/** The org a command acts on: from our tree node it was run on, or asked with a quick pick. */
export async function resolveTarget(services: Services, node: unknown, placeholder?: string): Promise<OrgTarget | undefined> {
  return ownTarget(services, node) ?? pickOrgTarget(services, placeholder);
}

/** The client a command acts on: from our tree node, or asked (org, then client). */
export async function resolveClient(
  services: Services,
  node: unknown,
  placeholder?: string,
  filter?: (client: OAuth2Client) => boolean,
): Promise<ClientRef | undefined> {
  const own = ownClient(services, node);
  if (own) {
    return own;
  }
  const target = await resolveTarget(services, node);
  if (!target) {
    return undefined;
  }
  const client = await pickClient(services, target, placeholder, filter);
  return client ? { target, client } : undefined;
}
