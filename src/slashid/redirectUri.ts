import { FORBIDDEN_REDIRECT_SCHEMES } from './contract';

/**
 * What may be a redirect URI (contract.ts, `FORBIDDEN_REDIRECT_SCHEMES`): the one check the emulator and
 * the client share, at registration and at authorization. No `vscode` import.
 */

/** An RFC 3986 scheme at the very start of the text: a letter, then letters, digits, `+`, `-`, `.`. */
const RAW_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/**
 * Characters no URI holds and some parsers drop or hide: whitespace and separators (a tab or a newline
 * vanishes in the WHATWG URL parser), control characters, and invisible format characters (zero-width,
 * bidi overrides, BOM).
 */
const HIDDEN_CHARACTERS = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * Why `value` cannot be a redirect URI (a phrase that follows the field's name, e.g. "must not …"), or
 * undefined when it can.
 */
export function redirectUriProblem(value: string): string | undefined {
  if (HIDDEN_CHARACTERS.test(value)) {
    return 'must not contain spaces, control characters or invisible characters';
  }
  const raw = RAW_SCHEME.exec(value)?.[1];
  let url: URL | undefined;
  try {
    url = raw === undefined ? undefined : new URL(value);
  } catch {
    url = undefined;
  }
  if (raw === undefined || url === undefined) {
    return 'must be an absolute URI with a scheme, such as https://app.example.com/callback or com.example.app:/callback';
  }
  // The text has nothing a parser drops, so both name the same scheme; both are checked all the same.
  const forbidden = [`${raw.toLowerCase()}:`, url.protocol.toLowerCase()].find((s) => isForbiddenRedirectScheme(s));
  if (forbidden !== undefined) {
    return `must not use the scheme ${forbidden}, which a browser must never be sent to with an authorization answer`;
  }
  if (value.includes('#')) {
    return 'must not have a fragment (#…)';
  }
  return undefined;
}

/** True for `javascript:`, `data:`, `vbscript:`, `file:`, `blob:` (any case, with the colon). */
export function isForbiddenRedirectScheme(scheme: string): boolean {
  return (FORBIDDEN_REDIRECT_SCHEMES as readonly string[]).includes(scheme.toLowerCase());
}
