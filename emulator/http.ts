import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';

/** What a route handler answers; the server writes it (and may break it, when a fault says so). */
export interface Reply {
  status: number;
  /** Serialized as JSON. Absent for 204. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (e.g. the sign-in page), sent as is with `contentType`; `body` is then ignored. */
  text?: { contentType: string; content: string };
}

/** An answer in SlashID's envelope: `{ result, meta? }`. */
export function envelope(result: unknown, status = 200, meta?: Record<string, unknown>): Reply {
  return { status, body: meta ? { meta, result } : { result } };
}

export function noContent(): Reply {
  return { status: 204 };
}

/** An error of the enveloped API: `{ errors: [{ httpcode, message }] }`. Messages never carry secrets. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toReply(): Reply {
    return { status: this.status, body: { errors: [{ httpcode: this.status, message: this.message }] }, headers: this.headers };
  }
}

/** An error of the plain OAuth endpoints (RFC 6749 §5.2): `{ error, error_description }` (`OAUTH_ENDPOINT_ERRORS` in contract.ts). */
export class OAuthError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  toReply(): Reply {
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
    if (this.status === 401) headers['WWW-Authenticate'] = 'Basic realm="SlashID emulator"';
    return { status: this.status, body: { error: this.error, error_description: this.message }, headers };
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The raw request body (at most 1 MiB, else 413). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new ApiError(413, 'The request body is larger than 1 MiB.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The JSON body; `undefined` when empty. 400 when it is not JSON. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ApiError(400, 'The request body is not valid JSON.');
  }
}

/** Validates a JSON body with zod; 400 naming the first bad field. */
export function validateBody<T extends z.ZodType>(schema: T, value: unknown, what = 'request body'): z.output<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ApiError(400, `The ${what} must be a JSON object.`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    throw new ApiError(400, field ? `Invalid ${field}: ${issue.message}.` : `Invalid ${what}: ${issue.message}.`);
  }
  return parsed.data;
}
