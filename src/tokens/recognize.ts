import { MAX_TOKEN_LENGTH } from './limits';
import { LineIndex, type LinePosition } from './textPosition';
import { DEFAULT_MAX_LINE_LENGTH } from './mayHoldToken';

/**
 * Finding tokens in arbitrary text (logs, `.env` files, JSON, HTTP dumps) for hovers and "decode at
 * cursor": bare JWTs (three base64url parts, the header starting with `eyJ`, i.e. `{"`), the same after
 * `Bearer `, and SlashID's opaque tokens (`sid_at_…` access tokens, `sid_rt_…` refresh tokens).
 *
 * Cheap by construction: one regular-expression pass over the text, lines longer than
 * `maxLineLength` skipped (minified bundles, data URLs), tokens over 64 KB ignored. Offsets are 0-based
 * UTF-16 offsets; `end` is exclusive.
 *
 * Browser-safe.
 */

export type RecognizedTokenKind = 'jwt' | 'opaque-access-token' | 'opaque-refresh-token';

export interface TextRange {
  readonly start: number;
  readonly end: number;
}

export interface RecognizedToken extends TextRange {
  readonly kind: RecognizedTokenKind;
  /** The token text (`text.slice(start, end)`). Keep it in memory only; never log it. */
  readonly value: string;
  /** When the token follows `Bearer `: the range of `Bearer <token>`. */
  readonly bearer?: TextRange;
}

export interface FindTokensOptions {
  /** Lines longer than this are skipped unless `includeLongLines`. Default 20,000. */
  maxLineLength?: number;
  includeLongLines?: boolean;
  /** Stop after this many tokens. Default 1,000. */
  maxTokens?: number;
  /** Search only `[start, end)` of the text (tokens must lie entirely inside). Default: all. */
  range?: TextRange;
}

export { DEFAULT_MAX_LINE_LENGTH };
const DEFAULT_MAX_TOKENS = 1_000;

/** SlashID opaque tokens: `sid_at_`/`sid_rt_` + base64url (43 characters for 32 random bytes; 16 to 512 accepted). */
const OPAQUE_BODY_MIN = 16;
const OPAQUE_BODY_MAX = 512;

const TOKEN_PATTERN = new RegExp(
  '(?<![A-Za-z0-9_.-])(?:' +
    '(eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*)' +
    `|(sid_(?:at|rt)_[A-Za-z0-9_-]{${OPAQUE_BODY_MIN},${OPAQUE_BODY_MAX}})` +
    ')(?![A-Za-z0-9_-])',
  'g',
);
const BASE64URL_CHAR = /[A-Za-z0-9_-]/;
const BEARER = 'bearer';

/** Every token in `text`, in order. */
export function findTokens(text: string, options: FindTokensOptions = {}): RecognizedToken[] {
  const maxLineLength = options.includeLongLines ? Infinity : (options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const from = Math.max(0, options.range?.start ?? 0);
  const to = Math.min(text.length, options.range?.end ?? text.length);
  const found: RecognizedToken[] = [];
  if (from >= to || maxTokens <= 0) return found;

  const pattern = new RegExp(TOKEN_PATTERN.source, 'g');
  pattern.lastIndex = from;
  // The line of the last match, so that consecutive matches on one line measure it once.
  let lineStart = -1;
  let lineEnd = -1;
  for (;;) {
    const match = pattern.exec(text);
    if (match === null) break;
    const start = match.index;
    const end = start + match[0].length;
    if (end > to) break;

    if (start >= lineEnd) {
      // Scanning back stops at the previous line's end, so the whole pass stays linear.
      lineStart = lineStartBefore(text, start, lineEnd + 1);
      lineEnd = lineEndAfter(text, start);
    }
    if (lineEnd - lineStart > maxLineLength) {
      pattern.lastIndex = lineEnd; // skip the rest of a long line
      continue;
    }

    let kind: RecognizedTokenKind;
    if (match[1] !== undefined) {
      // Dots after the third part mean a longer dotted run (a JWE or something else), unless the dot
      // ends a sentence.
      if (text.charCodeAt(end) === 0x2e && BASE64URL_CHAR.test(text.charAt(end + 1))) {
        pattern.lastIndex = skipDottedRun(text, end);
        continue;
      }
      if (match[0].length > MAX_TOKEN_LENGTH) continue;
      kind = 'jwt';
    } else {
      kind = match[2].startsWith('sid_at_') ? 'opaque-access-token' : 'opaque-refresh-token';
    }
    const bearerStart = bearerBefore(text, start, Math.max(from, lineStart));
    found.push(
      bearerStart === undefined
        ? { kind, start, end, value: match[0] }
        : { kind, start, end, value: match[0], bearer: { start: bearerStart, end } },
    );
    if (found.length >= maxTokens) break;
  }
  return found;
}

/**
 * The token at `offset` (for hovers), looking only at that offset's line. A token counts when
 * `start <= offset <= end` (the end included, for a cursor right after it) or when the offset is on its
 * `Bearer ` prefix.
 */
export function tokenAt(text: string, offset: number, options: Omit<FindTokensOptions, 'range'> = {}): RecognizedToken | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  const start = lineStartBefore(text, offset, 0);
  const end = lineEndAfter(text, offset);
  const onLine = findTokens(text, { ...options, range: { start, end } });
  return onLine.find((token) => (token.bearer?.start ?? token.start) <= offset && offset <= token.end);
}

/** 0-based line/character range of a token (or any offset range), e.g. for a `vscode.Range`. */
export function rangePosition(text: string, range: TextRange, lines?: LineIndex): { start: LinePosition; end: LinePosition } {
  const index = lines ?? new LineIndex(text);
  return { start: index.position(range.start), end: index.position(range.end) };
}

/** The start of `Bearer ` + spaces right before `start`, if there is one (not before `limit`). */
function bearerBefore(text: string, start: number, limit: number): number | undefined {
  let i = start;
  while (i > limit && (text.charCodeAt(i - 1) === 0x20 || text.charCodeAt(i - 1) === 0x09)) i--;
  if (i === start || i - BEARER.length < limit) return undefined;
  const word = i - BEARER.length;
  if (text.slice(word, i).toLowerCase() !== BEARER) return undefined;
  if (word > limit && /[A-Za-z0-9_]/.test(text.charAt(word - 1))) return undefined;
  return word;
}

function skipDottedRun(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '.' || BASE64URL_CHAR.test(c)) i++;
    else break;
  }
  return i;
}

/** Start of the line containing `offset`, scanning back no further than `floor`. */
function lineStartBefore(text: string, offset: number, floor: number): number {
  let i = offset;
  while (i > floor) {
    const c = text.charCodeAt(i - 1);
    if (c === 0x0a || c === 0x0d) break;
    i--;
  }
  return i;
}

/** End (exclusive, before the line break) of the line containing `offset`. */
function lineEndAfter(text: string, offset: number): number {
  let i = offset;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) break;
    i++;
  }
  return i;
}
