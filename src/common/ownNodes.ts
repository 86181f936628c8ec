/**
 * The tree nodes this extension built. Any extension can run our commands with any argument, so a command
 * takes a node argument only when it is one of these (never an object merely shaped like a node), and then
 * reads its connection again from the stored connections.
 */
const ownNodes = new WeakSet<object>();

/** Called by each tree node's constructor. */
export function markOwnNode(node: object): void {
  ownNodes.add(node);
}

export function isOwnNode(value: unknown): value is object {
  return typeof value === 'object' && value !== null && ownNodes.has(value);
}
