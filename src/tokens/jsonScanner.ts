/**
 * The JSON scanner of the custom-claims rules (claims.ts): an iterative (no recursion, so no stack
 * overflow on deep nesting) JSON validator that records every object key with its position, and the first
 * syntax error with a precise message. Engines word and place `JSON.parse` errors differently, and the
 * browser's messages carry no position we can rely on, hence a scanner of our own.
 *
 * Browser-safe: no imports.
 */

export type TopKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface ScannedKey {
  /** The decoded key. */
  readonly name: string;
  /** Offset of the opening quote. */
  readonly offset: number;
  /** Length including the quotes. */
  readonly length: number;
  /** 1 for keys of the top-level object. */
  readonly depth: number;
  /** Offset of an earlier identical key in the same object (a duplicate). */
  readonly firstOffset: number | undefined;
}

export interface SyntaxProblem {
  readonly offset: number;
  readonly length: number;
  readonly message: string;
}

export interface ScanResult {
  readonly error?: SyntaxProblem;
  readonly keys: ScannedKey[];
  readonly topKind: TopKind;
  readonly topStart: number;
  readonly topEnd: number;
}

interface Frame {
  readonly isObject: boolean;
  /** Keys seen in this object -> offset of their first occurrence. */
  readonly seen: Map<string, number> | undefined;
}

/** Thrown inside the scanner only, to unwind to `scanJson`; never escapes this module. */
class JsonSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly length: number,
    message: string,
  ) {
    super(message);
  }
}

// JSON strings cannot contain U+0000 to U+001F raw; the run stops at them, at quotes and backslashes.
// eslint-disable-next-line no-control-regex
const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_TAIL = /[0-9A-Za-z.+-]+/y;
const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/y;

enum State {
  Value,
  AfterValue,
  Key,
}

/** Scans `text` as JSON: every object key with its place, and the first syntax error. Never throws. */
export function scanJson(text: string): ScanResult {
  const n = text.length;
  const keys: ScannedKey[] = [];
  const stack: Frame[] = [];
  let i = 0;
  let topKind: TopKind = 'null';
  let topStart = 0;

  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  /** Scans a string starting at the quote at `i`; leaves `i` after the closing quote. */
  const scanString = (): boolean => {
    const start = i;
    let escaped = false;
    i++;
    for (;;) {
      STRING_RUN.lastIndex = i;
      STRING_RUN.test(text);
      i = STRING_RUN.lastIndex;
      if (i >= n) throw new JsonSyntaxError(start, n - start, 'Unterminated string: a closing double quote is missing.');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return escaped;
      }
      if (c === 0x5c) {
        escaped = true;
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) {
            throw new JsonSyntaxError(i, Math.min(6, n - i), 'Invalid escape: \\u must be followed by 4 hex digits.');
          }
          i += 6;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
          i += 2;
        } else if (i + 1 >= n) {
          throw new JsonSyntaxError(start, n - start, 'Unterminated string: a closing double quote is missing.');
        } else {
          throw new JsonSyntaxError(
            i,
            2,
            `Invalid escape ${describeEscape(text, i)} in a string; valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX.`,
          );
        }
        continue;
      }
      // A control character (U+0000 to U+001F).
      if (c === 0x0a || c === 0x0d) {
        throw new JsonSyntaxError(start, i - start, 'Unterminated string: strings cannot span lines (write \\n for a line break).');
      }
      throw new JsonSyntaxError(i, 1, `Control character ${unicodeName(c)} is not allowed in a string; escape it.`);
    }
  };

  const unexpected = (expected: string): JsonSyntaxError => {
    if (i >= n) return new JsonSyntaxError(n, 0, `Unexpected end of text: expected ${expected}.`);
    const c = text.charCodeAt(i);
    if (c === 0x27) return new JsonSyntaxError(i, 1, 'Strings must use double quotes ("), not single quotes.');
    if (c === 0x2f && (text.charCodeAt(i + 1) === 0x2f || text.charCodeAt(i + 1) === 0x2a)) {
      return new JsonSyntaxError(i, 2, 'Comments are not allowed in JSON.');
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word !== null) {
      const w = word[0];
      const hint = w === 'NaN' || w === 'Infinity' ? ' (NaN and Infinity are not JSON numbers)' : w === 'undefined' ? ' (use null)' : '';
      return new JsonSyntaxError(
        i,
        w.length,
        `Unexpected word "${w.length > 40 ? `${w.slice(0, 40)}…` : w}": expected ${expected}${hint}.`,
      );
    }
    return new JsonSyntaxError(i, 1, `Unexpected ${describeCharAt(text, i)}: expected ${expected}.`);
  };

  const record = (kind: TopKind, start: number) => {
    if (stack.length === 0) {
      topKind = kind;
      topStart = start;
    }
  };

  try {
    let state = State.Value;
    for (;;) {
      if (state === State.Value) {
        skipWhitespace();
        if (i >= n) throw unexpected('a value');
        const c = text.charCodeAt(i);
        const start = i;
        if (c === 0x7b /* { */) {
          record('object', start);
          stack.push({ isObject: true, seen: new Map() });
          i++;
          skipWhitespace();
          if (text.charCodeAt(i) === 0x7d) {
            i++;
            stack.pop();
            state = State.AfterValue;
          } else {
            state = State.Key;
          }
          continue;
        }
        if (c === 0x5b /* [ */) {
          record('array', start);
          stack.push({ isObject: false, seen: undefined });
          i++;
          skipWhitespace();
          if (text.charCodeAt(i) === 0x5d) {
            i++;
            stack.pop();
            state = State.AfterValue;
          }
          continue;
        }
        if (c === 0x22 /* " */) {
          record('string', start);
          scanString();
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          record('number', start);
          scanNumber();
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          record(c === 0x74 ? 'boolean' : 'null', start);
          i += 4;
          checkWordEnd(start);
        } else if (text.startsWith('false', i)) {
          record('boolean', start);
          i += 5;
          checkWordEnd(start);
        } else if (c === 0x5d || c === 0x7d) {
          throw new JsonSyntaxError(i, 1, `Expected a value before '${text[i]}'.`);
        } else {
          throw unexpected('a value');
        }
        state = State.AfterValue;
        continue;
      }

      if (state === State.Key) {
        skipWhitespace();
        if (text.charCodeAt(i) !== 0x22) {
          if (i < n && text.charCodeAt(i) !== 0x27 && text.charCodeAt(i) !== 0x2f) {
            WORD.lastIndex = i;
            const word = WORD.exec(text);
            if (word !== null) {
              throw new JsonSyntaxError(i, word[0].length, `Property names must be in double quotes: write "${word[0]}".`);
            }
          }
          throw unexpected('a property name in double quotes');
        }
        const keyStart = i;
        const escaped = scanString();
        const raw = text.slice(keyStart, i);
        const name = escaped ? (JSON.parse(raw) as string) : raw.slice(1, -1);
        const frame = stack[stack.length - 1];
        const firstOffset = frame.seen!.get(name);
        if (firstOffset === undefined) frame.seen!.set(name, keyStart);
        keys.push({ name, offset: keyStart, length: i - keyStart, depth: stack.length, firstOffset });
        skipWhitespace();
        if (text.charCodeAt(i) !== 0x3a /* : */) {
          if (i >= n) throw unexpected("':' after the property name");
          throw new JsonSyntaxError(
            i,
            1,
            `Expected ':' after the property name ${raw.length > 40 ? 'here' : raw}, found ${describeCharAt(text, i)}.`,
          );
        }
        i++;
        state = State.Value;
        continue;
      }

      // State.AfterValue
      skipWhitespace();
      const frame = stack[stack.length - 1];
      if (frame === undefined) {
        if (i < n) {
          throw new JsonSyntaxError(i, 1, `Unexpected ${describeCharAt(text, i)} after the end of the JSON value.`);
        }
        return { keys, topKind, topStart, topEnd: lastNonWhitespaceEnd(text) };
      }
      const close = frame.isObject ? '}' : ']';
      if (i >= n) throw unexpected(`',' or '${close}'`);
      const c = text.charCodeAt(i);
      if (c === 0x2c /* , */) {
        const comma = i;
        i++;
        skipWhitespace();
        const next = text.charCodeAt(i);
        if (next === 0x7d || next === 0x5d) {
          throw new JsonSyntaxError(comma, 1, 'Trailing comma: remove the comma before the closing bracket.');
        }
        state = frame.isObject ? State.Key : State.Value;
        continue;
      }
      if (c === close.charCodeAt(0)) {
        i++;
        stack.pop();
        continue;
      }
      if (c === 0x7d || c === 0x5d) {
        throw new JsonSyntaxError(i, 1, `Mismatched bracket: expected '${close}', found '${text[i]}'.`);
      }
      const looksLikeValue = c === 0x22 || c === 0x7b || c === 0x5b || (c >= 0x30 && c <= 0x39) || c === 0x2d;
      if (looksLikeValue) {
        throw new JsonSyntaxError(i, 1, `Expected ',' or '${close}': is a comma missing before this?`);
      }
      throw unexpected(`',' or '${close}'`);
    }
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return { error: { offset: error.offset, length: error.length, message: error.message }, keys, topKind, topStart, topEnd: n };
    }
    throw error;
  }

  function scanNumber(): void {
    const start = i;
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    const end = match === null ? i : NUMBER.lastIndex;
    NUMBER_TAIL.lastIndex = end;
    const tail = NUMBER_TAIL.exec(text);
    if (match === null || tail !== null) {
      const badEnd = tail !== null ? NUMBER_TAIL.lastIndex : end + 1;
      const literal = text.slice(start, Math.min(badEnd, start + 40));
      const hint = /^-?0[0-9]/.test(literal) ? ' (leading zeros are not allowed)' : '';
      throw new JsonSyntaxError(start, Math.max(1, badEnd - start), `Invalid number "${literal}"${hint}.`);
    }
    i = end;
  }

  function checkWordEnd(start: number): void {
    WORD.lastIndex = start;
    const word = WORD.exec(text);
    if (word !== null && start + word[0].length !== i) {
      throw new JsonSyntaxError(start, word[0].length, `Unexpected word "${word[0].slice(0, 40)}": expected a value.`);
    }
  }
}

function lastNonWhitespaceEnd(text: string): number {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  return end;
}

function unicodeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

function describeCharAt(text: string, i: number): string {
  const code = text.codePointAt(i)!;
  if (code < 0x20 || code === 0x7f) return `control character ${unicodeName(code)}`;
  if (code === 0xfeff) return 'byte order mark U+FEFF';
  if (code > 0x7e && /\s/.test(String.fromCodePoint(code))) return `whitespace character ${unicodeName(code)}`;
  return `'${String.fromCodePoint(code)}'`;
}

function describeEscape(text: string, i: number): string {
  const next = text.codePointAt(i + 1);
  return next === undefined || next < 0x20 ? '\\' : `\\${String.fromCodePoint(next)}`;
}
