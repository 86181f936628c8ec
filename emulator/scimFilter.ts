import type { PersonRecord } from './state';

/*
 * The SCIM 2.0 filter (RFC 7644 §3.4.2.2) of `GET /persons`, as far as the spec's examples use it:
 * `eq` on `person_id`, `handles` ("type:value"), `active` (true/false) and `roles`, combined with
 * `and` / `or` (`and` binds tighter) and parentheses. Attribute names and operators are
 * case-insensitive, as in SCIM. Anything else fails with a FilterError naming the problem and where.
 */

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export type PersonPredicate = (person: PersonRecord) => boolean;

type Token =
  { kind: 'open' | 'close'; at: number } | { kind: 'word'; text: string; at: number } | { kind: 'string'; value: string; at: number };

const MAX_FILTER_LENGTH = 2000;
const MAX_DEPTH = 32;
const ATTRIBUTES = ['person_id', 'handles', 'active', 'roles'] as const;
const OTHER_OPERATORS = new Set(['ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr']);

function tokenize(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const c = filter[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', at: i + 1 });
      i++;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < filter.length && filter[i] !== '"') i += filter[i] === '\\' ? 2 : 1;
      if (i >= filter.length) throw new FilterError(`the string starting at character ${start + 1} is not closed with "`);
      i++;
      let value: unknown;
      try {
        value = JSON.parse(filter.slice(start, i));
      } catch {
        throw new FilterError(`the string starting at character ${start + 1} has an invalid escape`);
      }
      tokens.push({ kind: 'string', value: value as string, at: start + 1 });
    } else if (/[A-Za-z0-9_.:$\-[\]]/.test(c)) {
      const start = i;
      while (i < filter.length && /[A-Za-z0-9_.:$\-[\]]/.test(filter[i])) i++;
      tokens.push({ kind: 'word', text: filter.slice(start, i), at: start + 1 });
    } else {
      throw new FilterError(`unexpected character ${JSON.stringify(c)} at character ${i + 1}`);
    }
  }
  return tokens;
}

function describe(token: Token | undefined): string {
  if (!token) return 'the end of the filter';
  if (token.kind === 'open') return `"(" at character ${token.at}`;
  if (token.kind === 'close') return `")" at character ${token.at}`;
  if (token.kind === 'string') return `the string ${JSON.stringify(token.value.slice(0, 40))} at character ${token.at}`;
  return `"${(token as { text: string }).text.slice(0, 40)}" at character ${token.at}`;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): PersonPredicate {
    if (this.tokens.length === 0) throw new FilterError('the filter is empty');
    const predicate = this.or(0);
    const rest = this.tokens[this.pos];
    if (rest) throw new FilterError(`expected "and", "or" or the end of the filter, found ${describe(rest)}`);
    return predicate;
  }

  private isWord(token: Token | undefined, word: string): boolean {
    return token?.kind === 'word' && token.text.toLowerCase() === word;
  }

  private or(depth: number): PersonPredicate {
    const parts = [this.and(depth)];
    while (this.isWord(this.tokens[this.pos], 'or')) {
      this.pos++;
      parts.push(this.and(depth));
    }
    return parts.length === 1 ? parts[0] : (p) => parts.some((f) => f(p));
  }

  private and(depth: number): PersonPredicate {
    const parts = [this.atom(depth)];
    while (this.isWord(this.tokens[this.pos], 'and')) {
      this.pos++;
      parts.push(this.atom(depth));
    }
    return parts.length === 1 ? parts[0] : (p) => parts.every((f) => f(p));
  }

  private atom(depth: number): PersonPredicate {
    if (depth > MAX_DEPTH) throw new FilterError(`parentheses are nested more than ${MAX_DEPTH} deep`);
    const token = this.tokens[this.pos];
    if (token?.kind === 'open') {
      this.pos++;
      const inner = this.or(depth + 1);
      const close = this.tokens[this.pos];
      if (close?.kind !== 'close')
        throw new FilterError(`expected ")" to close the "(" at character ${token.at}, found ${describe(close)}`);
      this.pos++;
      return inner;
    }
    if (this.isWord(token, 'not')) throw new FilterError(`"not" (at character ${token.at}) is not supported; use eq with and/or`);
    if (token?.kind !== 'word') throw new FilterError(`expected an attribute name, found ${describe(token)}`);
    this.pos++;
    const attribute = token.text.toLowerCase();
    if (!(ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw new FilterError(`unknown attribute "${token.text.slice(0, 40)}" at character ${token.at}; use ${ATTRIBUTES.join(', ')}`);
    }
    const operator = this.tokens[this.pos];
    if (operator?.kind !== 'word') throw new FilterError(`expected the operator eq after "${token.text}", found ${describe(operator)}`);
    this.pos++;
    const op = operator.text.toLowerCase();
    if (op !== 'eq') {
      throw new FilterError(
        OTHER_OPERATORS.has(op)
          ? `the operator "${operator.text}" (at character ${operator.at}) is not supported; only eq is`
          : `expected the operator eq after "${token.text}", found ${describe(operator)}`,
      );
    }
    const value = this.tokens[this.pos];
    this.pos++;
    return this.comparison(attribute as (typeof ATTRIBUTES)[number], value, token.text);
  }

  private comparison(attribute: (typeof ATTRIBUTES)[number], value: Token | undefined, name: string): PersonPredicate {
    if (attribute === 'active') {
      const literal = value?.kind === 'word' ? value.text.toLowerCase() : undefined;
      if (literal !== 'true' && literal !== 'false') throw new FilterError(`active compares with true or false, found ${describe(value)}`);
      const wanted = literal === 'true';
      return (p) => p.active === wanted;
    }
    if (value?.kind !== 'string') throw new FilterError(`${name} compares with a quoted string, found ${describe(value)}`);
    const wanted = value.value;
    switch (attribute) {
      case 'person_id':
        return (p) => p.person_id === wanted;
      case 'roles':
        return (p) => (p.roles ?? []).includes(wanted);
      case 'handles':
        return handlePredicate(wanted);
    }
  }
}

/** Persons with the handle `type:value` (an email address compares case-insensitively). */
export function handlePredicate(handle: string): PersonPredicate {
  const colon = handle.indexOf(':');
  if (colon <= 0)
    throw new FilterError(`a handle is "type:value" (e.g. "email_address:alice@example.com"), not ${JSON.stringify(handle.slice(0, 60))}`);
  const type = handle.slice(0, colon);
  const value = handle.slice(colon + 1);
  const same = type === 'email_address' ? (v: string) => v.toLowerCase() === value.toLowerCase() : (v: string) => v === value;
  return (p) => p.handles.some((h) => h.type === type && same(h.value));
}

/** The predicate of a SCIM filter; throws FilterError naming the problem. */
export function parsePersonFilter(filter: string): PersonPredicate {
  if (filter.length > MAX_FILTER_LENGTH) throw new FilterError(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  return new Parser(tokenize(filter)).parse();
}
