/**
 * Turns a zod issue into the field name and expectation a SchemaError reports. Written here rather
 * than taken from zod's messages because `zod/mini` ships without locale texts. Never quotes a value
 * that could be a secret: only types, and short enum-like strings of non-secret fields.
 */

import { isSecretField } from './recordedRequest';

/** The part of a zod issue we read (stable across zod 4 minor versions). */
export interface SchemaIssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message?: string;
  readonly expected?: string;
  readonly values?: readonly unknown[];
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly origin?: string;
}

/** `['result', 3, 'grant_types', 0]` → `result[3].grant_types[0]`; `[]` → `(root)`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') {
      out += `[${part}]`;
    } else {
      const name = String(part);
      out += /^[A-Za-z_$][\w$]*$/.test(name) ? (out ? `.${name}` : name) : `[${JSON.stringify(name)}]`;
    }
  }
  return out || '(root)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let value = root;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, part)) {
      return { found: false, value: undefined };
    }
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return { found: true, value };
}

function typeName(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

/** What was expected, and what came instead, in words: e.g. `expected string, got a number`. */
export function describeSchemaIssue(issue: SchemaIssueLike, root: unknown): string {
  const at = valueAt(root, issue.path);
  const lastKey = issue.path[issue.path.length - 1];
  const secret = typeof lastKey === 'string' && isSecretField(lastKey);
  switch (issue.code) {
    case 'invalid_type':
      if (!at.found || at.value === undefined) {
        return `expected ${issue.expected ?? 'a value'}, but it is missing`;
      }
      return `expected ${issue.expected ?? 'another type'}, got ${typeName(at.value)}`;
    case 'invalid_value':
    case 'invalid_enum_value': {
      const allowed = (issue.values ?? []).map((v) => JSON.stringify(v)).join(', ');
      const got = !secret && typeof at.value === 'string' && at.value.length <= 40 ? JSON.stringify(at.value) : typeName(at.value);
      return `expected one of ${allowed}, got ${got}`;
    }
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) {
        return 'expected a non-empty string';
      }
      return `expected at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${issue.origin === 'array' ? ' items' : ''}`;
    case 'unrecognized_keys':
      return 'unexpected keys';
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : `invalid value (${issue.code})`;
  }
}
