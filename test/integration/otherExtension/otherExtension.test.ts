/**
 * Another installed extension, as any user's extension host has: no test hooks (scripts/run-integration.ts runs
 * this folder in a second extension host without them). It activates ours, walks what it gets back, and runs
 * every contributed command with forged arguments: tree nodes that point at a hostile loopback server, strings and
 * objects. It must get no API key, secret or token back (from a run that outlives its wait too: it is waited for),
 * and the hostile server must receive nothing. The suite prints one summary line of what it did.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { startEmulator, DEMO_CLIENTS, type Emulator } from '../../../emulator/index';
import { CONSOLE_TAG } from '../../../scripts/vscode/testReport';
import { getExtension, manifest } from '../extension';

/** The canary API key of test/integration/canary.test.ts, as the key of the demo org this suite connects. */
const CANARY_KEY = 'canary-apikey-5b9e2d7c4a1f3068';

interface HostileRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A loopback server that records every request and answers like a SlashID API with nothing in it. */
async function startHostileServer(): Promise<{ url: string; requests: HostileRequest[]; close(): Promise<void> }> {
  const requests: HostileRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('latin1');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Every string reachable from a value (own properties, prototypes' getters aside), to search for secrets. */
function stringsIn(value: unknown, seen = new Set<unknown>(), out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if ((typeof value === 'object' || typeof value === 'function') && value !== null && !seen.has(value)) {
    seen.add(value);
    for (const key of Reflect.ownKeys(value)) {
      let child: unknown;
      try {
        child = (value as Record<PropertyKey, unknown>)[key];
      } catch {
        continue;
      }
      stringsIn(child, seen, out);
    }
  }
  return out;
}

/** What `executeCommand` gave back, once it settled. */
interface Outcome {
  readonly result?: unknown;
  readonly error?: unknown;
}

/** One run of a command: its outcome as soon as it settles (`undefined` before). */
interface CommandRun {
  readonly id: string;
  outcome?: Outcome;
}

/** Closes the quick pick or input box a command may be waiting on, and its notifications, as Escape would. */
async function dismiss(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  await vscode.commands.executeCommand('notifications.clearAll');
}

/** Waits until every run has settled, or `ms` have passed, dismissing what they ask every 300 ms. */
async function settleDismissing(runs: readonly CommandRun[], ms: number): Promise<void> {
  for (let waited = 0; waited < ms && runs.some((r) => !r.outcome); waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (runs.some((r) => !r.outcome) && waited % 300 === 200) await dismiss();
  }
}

/**
 * Runs a command; questions it asks are dismissed, as a person pressing Escape would. Waits at most 4 s: a run
 * that has not settled by then keeps going, and its outcome is filled in when it does (the test waits for it later).
 */
async function runDismissing(id: string, args: unknown[]): Promise<CommandRun> {
  const run: CommandRun = { id };
  void Promise.resolve(vscode.commands.executeCommand(id, ...args)).then(
    (result) => (run.outcome = { result }),
    (error: unknown) => (run.outcome = { error }),
  );
  await settleDismissing([run], 4_000);
  return run;
}

/** How long the runs that outlived their 4 s get, all together, to settle before the test gives up on them. */
const LATE_RUNS_MS = 60_000;

describe('another extension, without the test hooks', function () {
  this.timeout(300_000);
  let emulator: Emulator & { demo: NonNullable<Emulator['demo']> };
  let hostile: Awaited<ReturnType<typeof startHostileServer>>;
  const settings = () => vscode.workspace.getConfiguration('slashid');
  /** What the suite did, for its summary line: counted as it happens, never written down beforehand. */
  const summary = { commands: 0, argumentSets: 0, late: 0, exports: 'not checked', secretsFound: 0 };

  before(async () => {
    hostile = await startHostileServer();
    emulator = (await startEmulator({ port: 0, demo: true, demoApiKey: CANARY_KEY })) as typeof emulator;
    process.env.SLASHID_EMULATOR_KEY = emulator.controlKey; // as `npm start` gives it to the extension host
    // Connect the demo org the way `npm start` does: its key goes into SecretStorage through the real Start path.
    await settings().update('localEmulator.url', emulator.url, vscode.ConfigurationTarget.Workspace);
    for (let i = 0; i < 50 && settings().get('localEmulator.url') !== emulator.url; i++) await new Promise((r) => setTimeout(r, 100));
    await getExtension().activate();
    // Start checks the key with a real call before it stores it: then the org is connected, its key in SecretStorage.
    const connected = () => emulator.requests.some((r) => r.route === 'GET /oauth2/clients');
    await vscode.commands.executeCommand('slashid.emulator.start');
    assert.ok(
      connected(),
      `Start Local Emulator did not connect the demo org (the emulator saw: ${emulator.requests.map((r) => r.route).join(', ') || 'nothing'}; ` +
        `setting: ${JSON.stringify(settings().inspect('localEmulator.url'))})`,
    );
  });

  after(async () => {
    console.log(
      `${CONSOLE_TAG}other extensions: ${summary.commands} commands run with ${summary.argumentSets} forged arguments each ` +
        `(${summary.late} late runs waited for); exports: ${summary.exports}; ${summary.secretsFound} secrets found`,
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
    await emulator?.close();
    await hostile?.close();
  });

  it('gets nothing from activate() or exports: no services, no secrets', async () => {
    const extension = getExtension();
    const activated = await extension.activate();
    assert.equal(extension.isActive, true);
    const leaked = stringsIn([activated, extension.exports]).filter((s) => s.includes(CANARY_KEY));
    summary.secretsFound += leaked.length;
    summary.exports = activated === undefined && extension.exports === undefined ? 'nothing' : 'an object';
    assert.equal(activated, undefined, 'activate() gave another extension an object');
    assert.equal(extension.exports, undefined, 'exports gave another extension an object');
    assert.deepEqual(leaked, []);
  });

  it('runs every contributed command with forged arguments and gets no key, secret or token; the hostile server gets nothing', async () => {
    const orgId = emulator.demo.orgId;
    // Forged nodes name the real connection (its ID is `<org>@local-emulator`) but point at the hostile server.
    const forgedConnection = {
      id: `${orgId}@local-emulator`,
      orgId,
      name: 'Forged',
      environment: 'custom',
      baseUrl: hostile.url,
      addedAt: new Date().toISOString(),
    };
    const target = { connection: forgedConnection, orgId };
    const client = { ...DEMO_CLIENTS[0], client_secret: 'x' };
    const treeItem = () => new vscode.TreeItem('forged');
    const forgedArguments: unknown[][] = [
      [{ kind: 'client', id: `client:${orgId}`, target, client, hasSecret: true, getTreeItem: treeItem, details: () => [] }],
      [{ kind: 'org', id: `org:${orgId}`, target, getTreeItem: treeItem }],
      [{ kind: 'message', id: 'm', variant: 'error', label: 'x', detail: 'x', target, getTreeItem: treeItem }],
      [{ kind: 'detail', id: 'd', label: 'x', value: 'x', copyValue: 'x', getTreeItem: treeItem }],
      // A JWT whose issuer is the hostile server: nobody fetches its keys.
      [`eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ iss: hostile.url, sub: 'x' })).toString('base64url')}.c2ln`],
      ['not a token', { target }],
      [{}],
    ];
    const commands = (manifest().contributes?.commands ?? []).map((c) => c.command);
    // Stopping the emulator last keeps the connected org reachable for the others.
    commands.sort((a, b) => Number(a === 'slashid.emulator.stop') - Number(b === 'slashid.emulator.stop'));
    assert.ok(commands.length >= 20, `only ${commands.length} contributed commands`);

    const runs: CommandRun[] = [];
    for (const id of commands) {
      for (const args of forgedArguments) runs.push(await runDismissing(id, args));
    }
    summary.commands = commands.length;
    summary.argumentSets = forgedArguments.length;
    assert.equal(runs.length, commands.length * forgedArguments.length);
    // A run still going after its 4 s (a question that came late, a request) is waited for, so that what it
    // eventually gives back is checked as well: none may stay unchecked.
    const late = runs.filter((r) => !r.outcome);
    await settleDismissing(late, LATE_RUNS_MS);
    summary.late = late.length;
    assert.deepEqual(
      runs.filter((r) => !r.outcome).map((r) => r.id),
      [],
      `commands still running after a further ${LATE_RUNS_MS / 1000} s: what they give back would go unchecked`,
    );
    const outcomes = runs.map((r) => ({ id: r.id, ...r.outcome }));
    assert.deepEqual(
      outcomes.filter((o) => o.result !== undefined).map((o) => `${o.id} returned ${typeof o.result}`),
      [],
      'a command returned something to another extension',
    );
    // What a command gave back, a failure's message and stack included, holds no key, secret or token.
    const leaked = stringsIn(outcomes.map((o) => [o.result, o.error])).filter((s) => s.includes(CANARY_KEY) || /eyJ|sid_(at|rt)_/.test(s));
    summary.secretsFound += leaked.length;
    assert.deepEqual(leaked, []);
    assert.deepEqual(
      hostile.requests.map((r) => `${r.method} ${r.url} ${JSON.stringify(r.headers)} ${r.body}`),
      [],
      'a forged node sent a request to the server it named',
    );
  });
});
