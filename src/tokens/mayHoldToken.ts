/**
 * The pre-check every hover and terminal line goes through before any regular expression: a JWT starts
 * with `eyJ` (base64url of `{"`), an opaque SlashID token with `sid_`. Two `indexOf` scans. This module has
 * no imports: the activation shell runs these checks too, before the features bundle is loaded.
 */
export function mayHoldToken(text: string): boolean {
  return text.includes('eyJ') || text.includes('sid_');
}

/** Lines longer than this are not searched for tokens (hover, terminal links, Decode Token on a line). */
export const DEFAULT_MAX_LINE_LENGTH = 20_000;

/**
 * Whether the pointer at `character` is on the run of token characters that starts `line` (after its
 * indentation): where the rest of a JWT wrapped from the line before would be. Only then does the hover
 * read that line before.
 */
export function mayContinueToken(line: string, character: number): boolean {
  let start = 0;
  while (start < line.length && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  if (start === line.length || character < start) return false;
  for (let i = start; i < character; i++) {
    if (!isTokenChar(line.charCodeAt(i))) return false;
  }
  return true;
}

/** A character of a JWT (base64url or its dots), by code: this runs on every hover of a line without a token. */
function isTokenChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || // a-z
    (code >= 65 && code <= 90) || // A-Z
    (code >= 48 && code <= 57) || // 0-9
    code === 95 || // _
    code === 45 || // -
    code === 46 // .
  );
}
