import { findTokens, type RecognizedTokenKind } from './recognize';
import { MAX_TOKEN_LENGTH } from './limits';
import { stringFromDebugValue } from './stringLiterals';
import { mayHoldToken } from './mayHoldToken';

/**
 * The tokens a structured value holds: a JSON text (a token response, a session object printed as
 * JSON) or an object read from a debugger, field by field. Each token comes with the path of the field
 * that holds it (`access_token`, `session.tokens[0]`), so that the person can pick one.
 *
 * Browser-safe.
 */

export interface TokenInValue {
  /** Where it is: `access_token`, `data.tokens[1]`; empty for the value itself. */
  readonly path: string;
  readonly kind: RecognizedTokenKind;
  /** The token (keep it in memory only; never log it). */
  readonly token: string;
}

export interface TokensInValueOptions {
  /** Stop after this many tokens. Default 50. */
  readonly maxTokens?: number;
  /** Do not go deeper than this. Default 8. */
  readonly maxDepth?: number;
}

const JSON_START = /^\s*[[{]/;
/** JSON texts longer than this are not parsed (4 MB). */
const MAX_JSON_LENGTH = 4 * 1024 * 1024;

/** The whole of `text` as one token (optionally after `Bearer `), or undefined. */
export function tokenOfString(text: string): { kind: RecognizedTokenKind; token: string } | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TOKEN_LENGTH + 16) return undefined;
  const found = findTokens(trimmed, { maxTokens: 2, includeLongLines: true });
  if (found.length !== 1) return undefined;
  const [only] = found as [(typeof found)[0]];
  const whole = (only.bearer?.start ?? only.start) === 0 && only.end === trimmed.length;
  return whole ? { kind: only.kind, token: only.value } : undefined;
}

/** Whether `text` looks like a JSON object or array (worth parsing). */
export function looksLikeJson(text: string): boolean {
  return JSON_START.test(text) && text.length <= MAX_JSON_LENGTH;
}

/** The tokens inside a JSON text (an object or an array), or undefined when it is not JSON. */
export function tokensInJson(text: string, options: TokensInValueOptions = {}): TokenInValue[] | undefined {
  if (!looksLikeJson(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return tokensInObject(parsed, options);
}

/**
 * The tokens in a value: a string that is a token (or a JSON text holding some), and every string field
 * of objects and arrays, depth first, in order.
 */
export function tokensInObject(value: unknown, options: TokensInValueOptions = {}): TokenInValue[] {
  const maxTokens = options.maxTokens ?? 50;
  const maxDepth = options.maxDepth ?? 8;
  const found: TokenInValue[] = [];
  const seen = new Set<unknown>();
  const visit = (node: unknown, path: string, depth: number): void => {
    if (found.length >= maxTokens || depth > maxDepth) return;
    if (typeof node === 'string') {
      const token = tokenOfString(node);
      if (token) {
        found.push({ path, ...token });
        return;
      }
      // A field holding JSON text (a serialized token response).
      if (depth < maxDepth && looksLikeJson(node)) {
        const inner = tokensInJson(node, { maxTokens: maxTokens - found.length, maxDepth: maxDepth - depth - 1 });
        for (const t of inner ?? []) found.push({ ...t, path: joinPath(path, t.path) });
      }
      return;
    }
    if (typeof node !== 'object' || node === null || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`, depth + 1));
      return;
    }
    for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
      visit(item, joinPath(path, propertyPath(key)), depth + 1);
    }
  };
  visit(value, '', 0);
  return found.slice(0, maxTokens);
}

/** `a.b`, `a["x-y"]`, `a[0]`. */
export function joinPath(base: string, rest: string): string {
  if (base === '') return rest.startsWith('.') ? rest.slice(1) : rest;
  if (rest === '') return base;
  return rest.startsWith('[') || rest.startsWith('.') ? `${base}${rest}` : `${base}.${rest}`;
}

function propertyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * The tokens a debugger's value text holds: the string literal of the program's language unquoted, then
 * the whole string as one token, or the tokens of a JSON text, or the tokens found in free text (a log
 * line, a header), numbered `#1`, `#2`…
 */
export function tokensInDebugValue(text: string): TokenInValue[] {
  if (!mayHoldToken(text)) return [];
  const { value } = stringFromDebugValue(text);
  // A value cut on display ends in an ellipsis: the token before it is taken (and found cut when decoded).
  const single = tokenOfString(value.replace(/(?:…|\.\.\.)$/, ''));
  if (single) return [{ path: '', ...single }];
  const inJson = tokensInJson(value);
  if (inJson) return inJson;
  return findTokens(value, { maxTokens: 20, includeLongLines: true }).map((t, index) => ({
    path: `#${index + 1}`,
    kind: t.kind,
    token: t.value,
  }));
}
