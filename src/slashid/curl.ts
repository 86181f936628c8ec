import { SECRET_FIELDS, SECRET_HEADERS, queryName, redactJson, type RecordedRequest } from './recordedRequest';

/**
 * Renders a recorded request as a POSIX shell `curl` command. Redaction is built in, whatever the
 * input: secret headers, query parameters and body fields (recordedRequest.ts `SECRET_FIELDS`: codes,
 * verifiers, tokens, assertions, secrets) become references to environment variables
 * (`"$SLASHID_API_KEY"`, `"$SLASHID_AUTHORIZATION_CODE"`, …) so the command runs once they are exported,
 * and never contains the secret itself. Everything else is single-quoted.
 */
export function toCurl(request: RecordedRequest): string {
  const args: string[] = ['curl'];
  if (/[[\]{}]/.test(request.url)) {
    args.push('--globoff');
  }
  args.push('--request', quote(request.method.toUpperCase()), urlWord(request.url));

  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length' || lower === 'host') {
      continue;
    }
    if (lower === 'authorization' && request.basicAuthUser !== undefined) {
      continue; // rendered as --user below
    }
    const env = SECRET_HEADERS.get(lower);
    if (env === undefined) {
      args.push('--header', quote(`${name}: ${value}`));
    } else if (lower === 'authorization') {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      args.push('--header', word(`${name}: ${scheme ? `${scheme} ` : ''}`, env));
    } else {
      args.push('--header', word(`${name}: `, env));
    }
  }
  if (request.basicAuthUser !== undefined) {
    args.push('--user', word(`${request.basicAuthUser}:`, SECRET_FIELDS.get('client_secret') ?? 'SLASHID_CLIENT_SECRET'));
  }

  const body = request.body;
  if (body?.type === 'form') {
    for (const [name, value] of body.fields) {
      const env = SECRET_FIELDS.get(name.toLowerCase());
      args.push('--data-urlencode', env === undefined ? quote(`${name}=${value}`) : word(`${name}=`, env));
    }
  } else if (body?.type === 'json') {
    args.push('--data-raw', quote(JSON.stringify(redactJson(body.value))));
  }

  return formatCommand(args);
}

/** The URL as one shell word, the value of each secret query parameter an environment variable reference. */
function urlWord(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return quote(url);
  const hash = url.indexOf('#', query);
  const end = hash < 0 ? url.length : hash;
  let out = '';
  let literal = url.slice(0, query + 1);
  url
    .slice(query + 1, end)
    .split('&')
    .forEach((pair, i) => {
      const name = queryName(pair);
      const env = name === undefined ? undefined : SECRET_FIELDS.get(name.toLowerCase());
      const eq = pair.indexOf('=');
      literal += i > 0 ? '&' : '';
      if (env === undefined) {
        literal += pair;
      } else {
        out += quote(`${literal}${eq < 0 ? pair : pair.slice(0, eq)}=`) + `"$${env}"`;
        literal = '';
      }
    });
  literal += url.slice(end);
  return literal ? out + quote(literal) : out;
}

/** Single-quotes a string for a POSIX shell (a `'` inside becomes `'\''`). */
export function quote(text: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(text)) {
    return text;
  }
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** One shell word: a quoted literal followed by a double-quoted environment variable reference. */
function word(literal: string, env: string): string {
  return `${literal ? quote(literal) : ''}"$${env}"`;
}

/** `curl --request GET url \` then one option (with its value) per line. */
function formatCommand(args: string[]): string {
  const lines: string[] = [];
  let i = 0;
  const head: string[] = [];
  while (i < args.length && !(args[i].startsWith('--') && args[i] !== '--request' && args[i] !== '--globoff')) {
    head.push(args[i]);
    i++;
  }
  lines.push(head.join(' '));
  while (i < args.length) {
    lines.push(`  ${args[i]} ${args[i + 1]}`);
    i += 2;
  }
  return lines.join(' \\\n');
}
