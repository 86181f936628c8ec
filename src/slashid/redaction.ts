/**
 * The last line of defence against a token reaching a log line or a message: anything shaped like a JWT
 * or an opaque SlashID token is replaced by a marker. Callers never pass secrets on purpose; this catches
 * text that came from elsewhere (an API error message, a URL) and may quote one.
 *
 * The same two patterns as before, `\beyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*` then `\bsid_(?:at|rt)_[\w-]{8,}`,
 * but matched by a linear scan instead of a backtracking regular expression: on a run of millions of
 * `sid_at_` (or `eyJ`) characters V8's regex engine overflows its stack, and `eyJ-eyJ-…` made it quadratic.
 * No `vscode` import (API core).
 */

export const JWT_MARKER = '<jwt redacted>';
export const OPAQUE_TOKEN_MARKER = '<token redacted>';

const JWT_START = /\beyJ/g;
const OPAQUE_START = /\bsid_(?:at|rt)_/g;

/** Replaces anything shaped like a JWT or an opaque SlashID token with a marker. Linear time; never throws. */
export function redactSecrets(text: string): string {
  return replaceOpaque(replaceJwts(text));
}

/** Is `code` one of `[A-Za-z0-9_-]` (the `[\w-]` of the patterns)? */
function isRunChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || code === 0x2d
  );
}

/** End of the run of `[\w-]` characters starting at `from`. */
function runEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && isRunChar(text.charCodeAt(i))) i++;
  return i;
}

/**
 * `\beyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*`. After a failed attempt the scan resumes at the end of the first run:
 * every later `eyJ` inside that run has the same run end and a shorter run, so it fails too.
 */
function replaceJwts(text: string): string {
  let out = '';
  let copied = 0;
  JWT_START.lastIndex = 0;
  for (let m = JWT_START.exec(text); m !== null; m = JWT_START.exec(text)) {
    const start = m.index;
    const end1 = runEnd(text, start + 3);
    let matchEnd = -1;
    if (end1 - (start + 3) >= 2 && text.charCodeAt(end1) === 0x2e) {
      const end2 = runEnd(text, end1 + 1);
      if (end2 - (end1 + 1) >= 2 && text.charCodeAt(end2) === 0x2e) matchEnd = runEnd(text, end2 + 1);
    }
    if (matchEnd < 0) {
      JWT_START.lastIndex = Math.max(end1, start + 1);
      continue;
    }
    out += text.slice(copied, start) + JWT_MARKER;
    copied = matchEnd;
    JWT_START.lastIndex = matchEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `\bsid_(?:at|rt)_[\w-]{8,}`, skipping past a run that is too short (as above). */
function replaceOpaque(text: string): string {
  let out = '';
  let copied = 0;
  OPAQUE_START.lastIndex = 0;
  for (let m = OPAQUE_START.exec(text); m !== null; m = OPAQUE_START.exec(text)) {
    const start = m.index;
    const end = runEnd(text, start + m[0].length);
    if (end - (start + m[0].length) < 8) {
      OPAQUE_START.lastIndex = Math.max(end, start + 1);
      continue;
    }
    out += text.slice(copied, start) + OPAQUE_TOKEN_MARKER;
    copied = end;
    OPAQUE_START.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `application/x-www-form-urlencoded` encoding of one value, as RFC 6749 §2.3.1 asks for Basic credentials. */
export function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, '+');
}

/**
 * Every form in which the client sends `secret`, so that a server echoing any of them is scrubbed: as is
 * (headers, JSON), URI-encoded, form-encoded (`+` for spaces, as in a Basic credential) and as
 * `URLSearchParams` writes a form body (which also encodes `*`, `~`, `!`, `'`, `(` and `)`), each with
 * upper- and lower-case percent escapes.
 */
export function secretEncodings(secret: string): string[] {
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    formEncode(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
  ]);
  for (const form of [...forms]) forms.add(form.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()));
  return [...forms];
}

/**
 * The value of the HTTP Basic `Authorization` header the client sends for a client's credentials
 * (RFC 6749 §2.3.1: both parts form-encoded, then Base64), without the `Basic ` scheme.
 */
export function basicCredentials(user: string, password: string): string {
  return Buffer.from(`${formEncode(user)}:${formEncode(password)}`, 'utf8').toString('base64');
}

/** Replaces every occurrence of a secret, in every encoding of {@link secretEncodings}, in text from a server. */
export function scrubSecrets(text: string, secrets: readonly string[], marker = '<redacted>'): string {
  let out = text;
  const forms = secrets
    .filter((secret) => secret.length >= 4)
    .flatMap(secretEncodings)
    .sort((a, b) => b.length - a.length); // longer forms first, so a form containing another is replaced whole
  for (const form of forms) {
    if (out.includes(form)) out = out.split(form).join(marker);
  }
  return out;
}
