import { OAuthError } from './http';
import type { RouteContext } from './routeContext';
import type { ClientRecord } from './state';

/** An `application/x-www-form-urlencoded` body; a parameter given twice is an error (RFC 6749 §3.2). */
export async function readForm(ctx: RouteContext): Promise<Map<string, string>> {
  const type = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new OAuthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams((await ctx.body()).toString('utf8'))) {
    if (form.has(name)) {
      throw new OAuthError(400, 'invalid_request', `The parameter ${name.slice(0, 64)} is given more than once.`);
    }
    form.set(name, value);
  }
  return form;
}

function decodeBasicPart(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new OAuthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic authentication.');
  }
}

/**
 * The client making an OAuth request. A confidential client authenticates with HTTP Basic
 * (`client_secret_basic`) or the `client_id` and `client_secret` form fields (`client_secret_post`),
 * not both. A public client sends only `client_id` (no secret, no Basic), and only where
 * `allowPublic` says so (the authorization-code and refresh grants, revocation); a confidential
 * client that sends no secret fails with `invalid_client` (401).
 */
export function authenticateClient(ctx: RouteContext, form: Map<string, string>, allowPublic = false): ClientRecord {
  const authorization = ctx.header('authorization');
  let credentials: { id: string; secret: string } | undefined;
  if (authorization !== undefined) {
    const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
    const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (!match || colon < 0) {
      throw new OAuthError(401, 'invalid_client', 'The Authorization header is not valid HTTP Basic authentication.');
    }
    credentials = { id: decodeBasicPart(decoded.slice(0, colon)), secret: decodeBasicPart(decoded.slice(colon + 1)) };
    if (form.has('client_secret')) {
      throw new OAuthError(
        400,
        'invalid_request',
        'Use one client authentication method: HTTP Basic or client_secret in the body, not both.',
      );
    }
    const formId = form.get('client_id');
    if (formId !== undefined && formId !== credentials.id) {
      throw new OAuthError(400, 'invalid_request', 'The client_id in the body is not the client authenticated with HTTP Basic.');
    }
  } else if (form.has('client_id') && form.has('client_secret')) {
    credentials = { id: form.get('client_id')!, secret: form.get('client_secret')! };
  } else if (allowPublic && form.has('client_id')) {
    const client = ctx.state.clients.get(form.get('client_id')!);
    if (!client) {
      throw new OAuthError(401, 'invalid_client', 'Client authentication failed: unknown client.');
    }
    if (!client.public) {
      throw new OAuthError(
        401,
        'invalid_client',
        'This client is confidential: authenticate with its secret (HTTP Basic or client_secret).',
      );
    }
    return client;
  }
  if (!credentials) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication is required (HTTP Basic with the client ID and secret).');
  }
  const client = ctx.state.clientBySecret(credentials.id, credentials.secret);
  if (!client) {
    throw new OAuthError(401, 'invalid_client', 'Client authentication failed: unknown client or wrong secret.');
  }
  if (client.public) {
    throw new OAuthError(401, 'invalid_client', 'A public client cannot authenticate with a client secret.');
  }
  return client;
}

/** Space-separated scope tokens, each once, in order. */
export function scopeList(scope: string | undefined): string[] {
  return scope === undefined ? [] : [...new Set(scope.split(' ').filter((s) => s.length > 0))];
}
