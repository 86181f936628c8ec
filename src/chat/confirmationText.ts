import { inertText } from '../slashid/untrustedText';

/** The most characters of one claim's value a confirmation shows (its key is always shown). */
const CLAIM_VALUE_SHOWN = 80;

/**
 * Custom claims for a confirmation: how many, then every claim by its key with its value (a long value is
 * shortened, never a key left out), so that no claim hides behind a long one: `2 claims: team = "blue",
 * is_admin = true`.
 */
export function describeClaims(claims: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(claims);
  if (keys.length === 0) return 'none';
  const listed = keys.map((key) => `${inertText(key, 100)} = ${inertText(JSON.stringify(claims[key]) ?? 'null', CLAIM_VALUE_SHOWN)}`);
  return `${keys.length} ${keys.length === 1 ? 'claim' : 'claims'}: ${listed.join(', ')}`;
}

/**
 * A redirect URI for a confirmation, as the browser will read it: the WHATWG URL serialization, so a host
 * with non-ASCII letters is shown in punycode (`xn--…`; a Cyrillic "а" does not pass for "a") and flagged,
 * and other non-ASCII characters are percent-encoded.
 */
export function describeRedirectUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `${inertText(uri, 200)} (not a valid URI)`;
  }
  const shown = inertText(url.href, 300);
  if (url.hostname.split('.').some((label) => label.toLowerCase().startsWith('xn--'))) {
    return `${shown} [WARNING: the host ${inertText(url.hostname, 200)} has non-ASCII letters (shown in punycode)]`;
  }
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(uri) ? `${shown} [WARNING: it has non-ASCII characters (shown percent-encoded)]` : shown;
}
