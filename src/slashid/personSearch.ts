/**
 * From what a user types to find a person (an email address, a phone number, a person ID, a username) to a
 * valid SCIM 2.0 filter for `GET /persons?filter=` (RFC 7644 §3.4.2.2), as the spec's examples write them:
 * `person_id eq "…"`, `handles eq "email_address:…"`, `handles eq "phone_number:+…"`,
 * `handles eq "username:…"`. What the user typed is only ever a quoted comparison value (a JSON string,
 * so `"` and `\` are escaped), never free text in the filter. No `vscode` import.
 */

export type PersonSearchKind = 'person_id' | 'email_address' | 'phone_number' | 'username';

export type PersonSearch =
  | {
      readonly ok: true;
      readonly kind: PersonSearchKind;
      /** The value compared (a phone number in E.164 form, `+` and digits). */
      readonly value: string;
      /** The SCIM filter to send. */
      readonly filter: string;
    }
  | {
      readonly ok: false;
      /** Why nothing can be searched for, to complete "… <text> <problem>". */
      readonly problem: string;
    };

/** How many persons one search shows (the minter's person picker, the chat's person search). */
export const PERSON_SEARCH_LIMIT = 50;

/** Longest search text accepted (a handle is at most a few hundred characters). */
export const MAX_PERSON_SEARCH_LENGTH = 320;

/** A person ID: a UUID in the 8-4-4-4-12 hex form (the spec's example `063e2964-ea22-76a2-ae08-3a7173964ae5`). */
const PERSON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An email address: something@domain.tld, no spaces or control characters. */
// eslint-disable-next-line no-control-regex
const EMAIL = /^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+\.[^\s@\u0000-\u001f]+$/;
/** A phone number as typed: a leading `+` (or `00`), then digits with spaces, dashes, dots or parentheses. */
const PHONE = /^(?:\+|00)[\d\s().-]+$/;
/** A username: letters, digits and `._-` (any script), no spaces. */
const USERNAME = /^[\p{L}\p{N}._-]+$/u;

/** The SCIM filter for what the user typed; `undefined` for blank text (no filter: list everyone). */
export function personSearchFilter(text: string): PersonSearch | undefined {
  const typed = typeof text === 'string' ? text.trim() : '';
  if (typed.length === 0) return undefined;
  if (typed.length > MAX_PERSON_SEARCH_LENGTH) {
    return { ok: false, problem: `is longer than ${MAX_PERSON_SEARCH_LENGTH} characters` };
  }
  if (PERSON_ID.test(typed)) {
    const value = typed.toLowerCase();
    return { ok: true, kind: 'person_id', value, filter: `person_id eq ${scimString(value)}` };
  }
  if (EMAIL.test(typed)) return handle('email_address', typed);
  if (PHONE.test(typed)) {
    // E.164: `+` and the digits; a `00` international prefix is the `+`.
    const digits = typed.replace(/\D/g, '').slice(typed.startsWith('00') ? 2 : 0);
    if (digits.length < 7 || digits.length > 15) {
      return { ok: false, problem: 'is not a phone number: with its country code it has 7 to 15 digits (e.g. +1 201 987 6543)' };
    }
    return handle('phone_number', `+${digits}`);
  }
  if (/^[\d\s().-]+$/.test(typed) && /\d{3}/.test(typed) && /[\s().-]/.test(typed)) {
    return { ok: false, problem: 'looks like a phone number without its country code: type it with a leading + (e.g. +1 201 987 6543)' };
  }
  if (USERNAME.test(typed)) return handle('username', typed);
  return {
    ok: false,
    problem: 'is not an email address, a phone number with its country code (+…), a person ID or a username',
  };
}

function handle(kind: 'email_address' | 'phone_number' | 'username', value: string): PersonSearch {
  return { ok: true, kind, value, filter: `handles eq ${scimString(`${kind}:${value}`)}` };
}

/** A SCIM comparison value: a JSON string (RFC 7644 §3.4.2.2), so quotes, backslashes and controls are escaped. */
export function scimString(value: string): string {
  return JSON.stringify(value);
}

/** The handle types a login hint may name (`type:value`), as the spec's person handles. */
const HANDLE_PREFIX = /^(email_address|phone_number|username):(.*)$/s;

export type LoginHint =
  | { readonly ok: true; /** `undefined` for blank text: the person is chosen in the browser. */ readonly hint?: string }
  | { readonly ok: false; /** One sentence: what is wrong and what to type. */ readonly problem: string };

/**
 * The `login_hint` for what the user typed, in the form SlashID matches: a person ID as it is, a handle as
 * `type:value` (`email_address:alice@example.com`, `phone_number:+447700900123`, `username:carol`). A
 * plain email address, phone number (with its country code) or username is classified as the person
 * search does; an already prefixed handle is kept.
 */
export function loginHintOf(text: string): LoginHint {
  const typed = typeof text === 'string' ? text.trim() : '';
  if (typed.length === 0) return { ok: true };
  const prefixed = HANDLE_PREFIX.exec(typed);
  if (prefixed) {
    return prefixed[2].trim()
      ? { ok: true, hint: typed }
      : {
          ok: false,
          problem: `The login hint has nothing after "${prefixed[1]}:"; type the ${prefixed[1].replace('_', ' ')} after it, or leave the hint empty.`,
        };
  }
  const other = /^([A-Za-z_]+):/.exec(typed);
  if (other) {
    // e.g. "email:alice@example.com": no handle type (a username, phone number or person ID has no colon).
    return {
      ok: false,
      problem: `The login hint starts with "${other[1].slice(0, 20)}:", which is no handle type; type the plain email address, phone number or username (or email_address:…, phone_number:…, username:…).`,
    };
  }
  const search = personSearchFilter(typed);
  if (!search) return { ok: true };
  if (!search.ok) {
    return {
      ok: false,
      problem: `The login hint ${search.problem}; leave it empty to choose the person in the browser.`,
    };
  }
  return { ok: true, hint: search.kind === 'person_id' ? search.value : `${search.kind}:${search.value}` };
}
