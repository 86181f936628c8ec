import { RESERVED_CLAIM_REASONS, isReservedClaim } from './reservedClaims';
import { scanJson, type TopKind } from './jsonScanner';
import { LineIndex } from './textPosition';

/**
 * Validation of the custom claims a user types for `POST /oauth2/tokens/mint`, fast enough to run on
 * every keystroke. Reports every problem with its place in the text:
 *
 * - JSON syntax errors, located by a small scanner of our own (jsonScanner.ts: engines word and place `JSON.parse`
 *   errors differently, and the browser's messages carry no position we can rely on);
 * - a value that is not an object (SlashID puts custom claims at the top level of the token payload);
 * - reserved claim names (the 36 of `reservedClaims.ts`), exact and case-sensitive, at the top level;
 * - `__proto__`, `constructor` and `prototype` keys at any depth;
 * - duplicate keys in one object (`JSON.parse` would silently keep the last);
 * - more than MAX_CUSTOM_CLAIMS_BYTES of UTF-8.
 *
 * Empty or blank text means "no custom claims": ok, value `{}`.
 * Lines and columns are 1-based; `offset` is a 0-based UTF-16 offset into the text.
 *
 * Browser-safe: no Node or VS Code imports.
 */

/**
 * 16 KB of UTF-8. A minted token carries the claims base64url-encoded (4/3 the size) in every request's
 * `Authorization` header, and HTTP servers commonly cap a request's headers at 8 to 16 KB (Node: 16 KB,
 * nginx: 8 KB per header line), so claims near this limit already make tokens too big for many APIs.
 */
export const MAX_CUSTOM_CLAIMS_BYTES = 16 * 1024;

/** Keys that could pollute prototypes when the claims are merged into objects; rejected at any depth. */
export const FORBIDDEN_KEYS: readonly string[] = Object.freeze(['__proto__', 'constructor', 'prototype']);

export type ClaimProblemCode = 'syntax' | 'not-object' | 'reserved-claim' | 'forbidden-key' | 'duplicate-key' | 'too-large';

export interface ClaimProblem {
  readonly code: ClaimProblemCode;
  /** One sentence for the user. */
  readonly message: string;
  /** 1-based line of the problem's start. */
  readonly line: number;
  /** 1-based column (UTF-16 code units) of the problem's start. */
  readonly column: number;
  /** 0-based offset of the problem's start. */
  readonly offset: number;
  /** Length in UTF-16 code units of the text in question (a key including its quotes), when known. */
  readonly length?: number;
  /** The claim (key) concerned, for reserved, forbidden and duplicate keys. */
  readonly claim?: string;
}

export interface ClaimsValidation {
  /** True when there are no problems; `value` is then the claims to send. */
  readonly ok: boolean;
  /** The parsed object, whenever the text is syntactically valid JSON and an object (even with problems). */
  readonly value?: Record<string, unknown>;
  /** Every problem, ordered by offset. A syntax error is reported alone (the first one). */
  readonly problems: ClaimProblem[];
}

const TOP_KIND_NAMES: Record<TopKind, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

/** Validates custom claims JSON. Pure and total: never throws. */
export function validateCustomClaims(text: string): ClaimsValidation {
  if (typeof text !== 'string' || text.trim().length === 0) {
    return { ok: true, value: {}, problems: [] };
  }
  const tooLarge = sizeProblem(text);
  if (tooLarge !== undefined) {
    return { ok: false, problems: [tooLarge] };
  }

  const scan = scanJson(text);
  let lines: LineIndex | undefined;
  const at = (offset: number) => (lines ??= new LineIndex(text)).lineColumn(offset);

  if (scan.error !== undefined) {
    const { offset, length, message } = scan.error;
    return { ok: false, problems: [{ code: 'syntax', message, ...at(offset), offset, length }] };
  }
  if (scan.topKind !== 'object') {
    const offset = scan.topStart;
    return {
      ok: false,
      problems: [
        {
          code: 'not-object',
          message: `Custom claims must be a JSON object like {"team": "blue"}, not ${TOP_KIND_NAMES[scan.topKind]}.`,
          ...at(offset),
          offset,
          length: scan.topEnd - offset,
        },
      ],
    };
  }

  const problems: ClaimProblem[] = [];
  for (const key of scan.keys) {
    const { name, offset, length } = key;
    if (key.depth === 1 && isReservedClaim(name)) {
      problems.push({
        code: 'reserved-claim',
        message: `"${name}" is a reserved claim and cannot be a custom claim: ${name} ${RESERVED_CLAIM_REASONS[name]}.`,
        ...at(offset),
        offset,
        length,
        claim: name,
      });
    } else if (FORBIDDEN_KEYS.includes(name)) {
      problems.push({
        code: 'forbidden-key',
        message: `"${name}" is not allowed as a key, at any depth: it can change object prototypes where the claims are used.`,
        ...at(offset),
        offset,
        length,
        claim: name,
      });
    }
    if (key.firstOffset !== undefined) {
      const first = at(key.firstOffset);
      problems.push({
        code: 'duplicate-key',
        message: `Duplicate key ${quoteKey(name)} (first at line ${first.line}, column ${first.column}); only the last value would be kept.`,
        ...at(offset),
        offset,
        length,
        claim: name,
      });
    }
  }
  // Keys are recorded in text order, so problems already are ordered by offset.
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not reachable when the scanner is right; kept so that validation stays total.
    return { ok: false, problems: [{ code: 'syntax', message: 'The text is not valid JSON.', line: 1, column: 1, offset: 0 }] };
  }
  return problems.length === 0 ? { ok: true, value, problems } : { ok: false, value, problems };
}

function quoteKey(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
}

/** The too-large problem, or undefined when the text is within MAX_CUSTOM_CLAIMS_BYTES of UTF-8. */
function sizeProblem(text: string): ClaimProblem | undefined {
  // At most three UTF-8 bytes per UTF-16 code unit, at least one.
  if (text.length * 3 <= MAX_CUSTOM_CLAIMS_BYTES) return undefined;
  const limit = `the limit is ${MAX_CUSTOM_CLAIMS_BYTES.toLocaleString('en-US')} bytes (16 KB), because minted tokens travel in HTTP headers`;
  const problem = (size: string): ClaimProblem => ({
    code: 'too-large',
    message: `Custom claims are ${size}; ${limit}.`,
    line: 1,
    column: 1,
    offset: 0,
    length: text.length,
  });
  if (text.length > 64 * MAX_CUSTOM_CLAIMS_BYTES) {
    return problem(`${text.length.toLocaleString('en-US')} characters long`);
  }
  const bytes = utf8Length(text);
  return bytes > MAX_CUSTOM_CLAIMS_BYTES ? problem(`${bytes.toLocaleString('en-US')} bytes of UTF-8`) : undefined;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
