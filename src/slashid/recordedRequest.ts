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

/** Body fields (form or JSON, any depth) whose value is a secret, and their environment variable. */
export const SECRET_FIELDS: ReadonlyMap<string, string> = new Map([
  ['client_secret', 'SLASHID_CLIENT_SECRET'],
  ['token', 'SLASHID_TOKEN_VALUE'],
  ['access_token', 'SLASHID_ACCESS_TOKEN'],
  ['refresh_token', 'SLASHID_REFRESH_TOKEN'],
  ['id_token', 'SLASHID_ID_TOKEN'],
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

/** The same request with every secret redacted (idempotent). */
export function redactRequest(request: RecordedRequest): RecordedRequest {
  return {
    method: request.method,
    url: request.url,
    headers: redactHeaders(request.headers),
    ...(request.basicAuthUser !== undefined ? { basicAuthUser: request.basicAuthUser } : {}),
    ...(request.body ? { body: redactBody(request.body) } : {}),
  };
}
