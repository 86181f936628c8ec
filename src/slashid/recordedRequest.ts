/**
 * A description of a request the client sent, with every secret replaced by {@link REDACTED}, for
 * "Copy Last Request as curl" and for logs. Built by the client; `toCurl` (curl.ts) renders it.
 */

export const REDACTED = '<redacted>';

export type RecordedBody =
  | { readonly type: 'json'; readonly value: unknown }
  | { readonly type: 'form'; readonly fields: readonly (readonly [name: string, value: string])[] };

export interface RecordedRequest {
  readonly method: string;
  /** Full URL including the query string. */
  readonly url: string;
  /** Header names as sent; secret values are {@link REDACTED}. */
  readonly headers: Readonly<Record<string, string>>;
  /** When HTTP Basic authentication was used: the user name (a client ID, not a secret). The password is never recorded. */
  readonly basicAuthUser?: string;
  readonly body?: RecordedBody;
}

/** Headers whose value is a secret (lower case), and the environment variable `toCurl` puts in their place. */
export const SECRET_HEADERS: ReadonlyMap<string, string> = new Map([
  ['slashid-api-key', 'SLASHID_API_KEY'],
  ['slashid-token', 'SLASHID_TOKEN'],
  ['authorization', 'SLASHID_AUTHORIZATION'],
  ['cookie', 'SLASHID_COOKIE'],
]);

/**
 * Fields (form, JSON at any depth, or query parameter) whose value is a credential, and the environment
 * variable `toCurl` puts in their place: every credential an OAuth request can carry (RFC 6749 codes and
 * tokens, RFC 7636's verifier, RFC 7523 / 7521 assertions, RFC 8693 token exchange, RFC 8628 device
 * codes, RFC 7009 / 7662's `token`), not only those the extension sends today. With a code and its
 * verifier, a public client's curl alone would return the person's tokens.
 */
export const SECRET_FIELDS: ReadonlyMap<string, string> = new Map([
  ['client_secret', 'SLASHID_CLIENT_SECRET'],
  ['client_assertion', 'SLASHID_CLIENT_ASSERTION'],
  ['code', 'SLASHID_AUTHORIZATION_CODE'],
  ['code_verifier', 'SLASHID_CODE_VERIFIER'],
  ['token', 'SLASHID_TOKEN_VALUE'],
  ['access_token', 'SLASHID_ACCESS_TOKEN'],
  ['refresh_token', 'SLASHID_REFRESH_TOKEN'],
  ['id_token', 'SLASHID_ID_TOKEN'],
  ['id_token_hint', 'SLASHID_ID_TOKEN_HINT'],
  ['assertion', 'SLASHID_ASSERTION'],
  ['subject_token', 'SLASHID_SUBJECT_TOKEN'],
  ['actor_token', 'SLASHID_ACTOR_TOKEN'],
  ['device_code', 'SLASHID_DEVICE_CODE'],
  ['user_code', 'SLASHID_USER_CODE'],
  ['api_key', 'SLASHID_API_KEY'],
  ['password', 'SLASHID_PASSWORD'],
]);

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADERS.has(name.toLowerCase());
}

export function isSecretField(name: string): boolean {
  return SECRET_FIELDS.has(name.toLowerCase());
}

export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) {
      out[name] = value;
    } else if (name.toLowerCase() === 'authorization') {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      out[name] = scheme ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      out[name] = REDACTED;
    }
  }
  return out;
}

/** A deep copy of a JSON value with the values of secret fields replaced. */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redactJson);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      Object.defineProperty(out, k, {
        value: isSecretField(k) ? REDACTED : redactJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

export function redactForm(fields: readonly (readonly [string, string])[]): [string, string][] {
  return fields.map(([k, v]) => [k, isSecretField(k) ? REDACTED : v]);
}

export function redactBody(body: RecordedBody | undefined): RecordedBody | undefined {
  if (!body) {
    return undefined;
  }
  return body.type === 'json' ? { type: 'json', value: redactJson(body.value) } : { type: 'form', fields: redactForm(body.fields) };
}

/**
 * The URL with the value of every secret query parameter replaced by {@link REDACTED} (form-encoded, as
 * `URLSearchParams` writes it); everything else, and a URL that does not parse, is kept as it is.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  const pairs = url.slice(query + 1, end).split('&');
  let changed = false;
  const out = pairs.map((pair) => {
    const name = queryName(pair);
    if (name === undefined || !isSecretField(name)) return pair;
    changed = true;
    return `${pair.slice(0, pair.indexOf('=') < 0 ? pair.length : pair.indexOf('='))}=${encodeURIComponent(REDACTED)}`;
  });
  return changed ? `${url.slice(0, query + 1)}${out.join('&')}${url.slice(end)}` : url;
}

/** The decoded name of one `name=value` pair of a query string (undefined when it does not decode). */
export function queryName(pair: string): string | undefined {
  const eq = pair.indexOf('=');
  try {
    return decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The same request with every secret redacted (idempotent). */
export function redactRequest(request: RecordedRequest): RecordedRequest {
  return {
    method: request.method,
    url: redactUrl(request.url),
    headers: redactHeaders(request.headers),
    ...(request.basicAuthUser !== undefined ? { basicAuthUser: request.basicAuthUser } : {}),
    ...(request.body ? { body: redactBody(request.body) } : {}),
  };
}
