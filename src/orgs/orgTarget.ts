import type { OrgConnection } from './connections';

/**
 * The organization a request speaks for: a connected org, or one of its sub-organizations
 * reached with the parent's API key (`SlashID-OrgID` is the sub-org, the key is the parent's).
 */
export interface OrgTarget {
  readonly connection: OrgConnection;
  /** The org sent as `SlashID-OrgID`: the connection's own org or a descendant. */
  readonly orgId: string;
}

export function rootTarget(connection: OrgConnection): OrgTarget {
  return { connection, orgId: connection.orgId };
}

/**
 * The one key of an org target, `<connection id>#<org id>`: the clients model's cache, the tree's node
 * IDs and the minter's organization picker all name a target by it.
 */
export function targetKey(target: OrgTarget): string {
  return `${target.connection.id}#${target.orgId}`;
}

export function isSubOrg(target: OrgTarget): boolean {
  return target.orgId !== target.connection.orgId;
}

/** A label for messages: "Acme (sandbox)" or "sub-org 1a2b… of Acme". */
export function describeTarget(target: OrgTarget): string {
  const base = `${target.connection.name}`;
  return isSubOrg(target) ? `sub-organization ${shortId(target.orgId)} of ${base}` : base;
}

export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}
