/**
 * One activation sample, in a fresh process (run.ts spawns one per sample: a warm require cache would
 * measure nothing): `node out/bench/activation.js <bundle.js>`.
 *
 * With the host's built-ins and the `vscode` stub loaded first (an extension host has its API ready
 * before it loads an extension), it reports the time from the process's start to that point
 * (`hostReadyMs`) and times `require(bundle)` + `activate(context)` (`loadActivateMs`). Then it waits
 * for activation's asynchronous tail and counts sockets opened and DNS lookups made: activation must do
 * no network work.
 */
import dns from 'node:dns';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { extensionContext, installVscodeStub } from './vscodeStub';
import { nowMs, reportResult } from './measure';

const network = { connects: 0, lookups: 0 };

function countNetworkUse(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const connect = net.Socket.prototype.connect;
  (net.Socket.prototype as { connect: unknown }).connect = function (this: net.Socket, ...args: unknown[]) {
    network.connects++;
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  };
  const lookup = dns.lookup;
  (dns as { lookup: unknown }).lookup = function (...args: unknown[]) {
    network.lookups++;
    return (lookup as (...a: unknown[]) => unknown).apply(dns, args);
  };
}

/**
 * Node built-ins a VS Code extension host has loaded before it loads any extension: its IPC runs on
 * `net`, its proxy support patches `http`, `https`, `net` and `tls` at startup, and it uses `crypto`,
 * `fs`, `os`, `child_process`… Loading them here first keeps their one-time cost out of the extension's
 * numbers, as in a real host (an extension that needs another built-in still pays for it).
 */
const HOST_BUILTINS = ['fs', 'path', 'os', 'url', 'util', 'events', 'stream', 'net', 'tls', 'http', 'https', 'crypto', 'child_process'];

async function main(): Promise<void> {
  for (const name of HOST_BUILTINS) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`node:${name}`);
  }
  const bundle = path.resolve(process.argv[2] ?? '');
  const root = path.resolve(__dirname, '..', '..');
  const packageJSON = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as unknown;
  installVscodeStub();
  countNetworkUse();
  const context = extensionContext(root, packageJSON);

  // From the process's start until here: what a host spends before it loads an extension.
  const hostReadyMs = performance.now();
  const start = nowMs();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require(bundle) as { activate(context: unknown): unknown };
  const api = extension.activate(context);
  const loadActivateMs = nowMs() - start;
  await Promise.resolve(api);

  // Let activation's promises and timers run before counting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const d of context.subscriptions.splice(0).reverse()) d.dispose();
  reportResult({ loadActivateMs, hostReadyMs, connects: network.connects, lookups: network.lookups });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
