import { SECRET_FIELDS, SECRET_HEADERS, redactJson, type RecordedRequest } from './recordedRequest';

/**
 * Renders a recorded request as a POSIX shell `curl` command. Redaction is built in, whatever the
 * input: secret headers and body fields become references to environment variables
 * (`"$SLASHID_API_KEY"`, `"$SLASHID_CLIENT_SECRET"`, …) so the command runs once they are exported,
 * and never contains the secret itself. Everything else is single-quoted.
 */
export function toCurl(request: RecordedRequest): string {
  const args: string[] = ['curl'];
  if (/[[\]{}]/.test(request.url)) {
    args.push('--globoff');
  }
  args.push('--request', quote(request.method.toUpperCase()), quote(request.url));

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
