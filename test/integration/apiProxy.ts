/**
 * A server in front of the emulator that plays a SlashID API with surprising answers: it forwards every request,
 * except those `answer` answers itself, and lets `rewrite` change a JSON answer (e.g. names longer than the
 * emulator accepts in a seed).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiProxyOptions {
  /**
   * An answer of its own for a request (`undefined`: forward it): `body` is sent as JSON, `text` as given (JSON that
   * `JSON.stringify` could not write, e.g. nested thousands of levels deep).
   */
  answer?: (
    method: string,
    path: string,
    request: { headers: http.IncomingHttpHeaders; body: string },
  ) => { status: number; body: unknown } | { status: number; text: string } | undefined;
  /** Changes the parsed JSON answer of a forwarded request. */
  rewrite?: (method: string, path: string, body: unknown) => unknown;
}

export async function startApiProxy(target: string, options: ApiProxyOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const method = req.method ?? 'GET';
        const path = (req.url ?? '/').split('?')[0];
        const own = options.answer?.(method, path, { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        if (own) {
          res.writeHead(own.status, { 'content-type': 'application/json' }).end('text' in own ? own.text : JSON.stringify(own.body));
          return;
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name)) headers[name] = value;
        }
        const answer = await fetch(`${target}${req.url ?? ''}`, {
          method,
          headers,
          ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
        });
        let text = await answer.text();
        if (options.rewrite && (answer.headers.get('content-type') ?? '').includes('json') && text) {
          text = JSON.stringify(options.rewrite(method, path, JSON.parse(text)));
        }
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(text);
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** `rewrite` for `GET /oauth2/clients`: renames clients by ID. */
export function renameClients(names: Record<string, string>): ApiProxyOptions['rewrite'] {
  return (method, path, body) => {
    if (method !== 'GET' || path !== '/oauth2/clients') return body;
    const result = (body as { result?: { client_id: string; client_name: string }[] }).result;
    for (const client of result ?? []) if (names[client.client_id] !== undefined) client.client_name = names[client.client_id];
    return body;
  };
}
