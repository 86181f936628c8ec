/** A node:http server on a free loopback port for the tests that need a hostile or capturing server. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  readonly server: http.Server;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

export async function startLoopbackServer(handler: http.RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
