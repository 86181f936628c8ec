/**
 * The tree nodes this extension built. Any extension can run our commands with any argument, so a command
 * takes a node argument only when it is one of these (never an object merely shaped like a node), and then
 * reads its connection again from the stored connections.
 *
 * Each node class extends `OwnNode`, whose private field is a brand no object built elsewhere can carry
 * (`#own in value`; not even `Object.create(ClientNode.prototype)`), and which costs nothing per node
 * (a WeakSet of the nodes built cost ~1 ms per 5,000 clients listed).
 */
export abstract class OwnNode {
  readonly #own = true;

  static is(value: unknown): value is OwnNode {
    return typeof value === 'object' && value !== null && #own in value;
  }
}

export function isOwnNode(value: unknown): value is OwnNode {
  return OwnNode.is(value);
}
