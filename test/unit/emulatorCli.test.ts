import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from 'undici';
import { DEMO_CLIENTS, DEMO_ORG_ID, DEMO_PERSONS, DEMO_SUB_ORG_ID } from '../../emulator/index';

const CLI = path.resolve(__dirname, '../../emulator/cli.js');
const ORG = 'dddddddd-0000-4000-8000-000000000001';
const CHILD = 'dddddddd-0000-4000-8000-000000000002';

interface Running {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Spawns the CLI and resolves once it printed its URL (or rejects with its output when it exits first). */
function startCli(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr: err })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start in time: ${out} ${err}`)), 15000);
    child.stdout.on('data', () => {
      const match = /^SlashID emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (match && out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve({ child, url: match[1], stdout: () => out, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${out} ${err}`));
    });
  });
}

/** Runs the CLI to completion (for arguments that make it exit at once). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('emulator CLI', function () {
  this.timeout(30000);
  let dir: string;
  let running: Running | undefined;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-emu-cli-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('starts the demo, prints its URL, org IDs, API key, clients and persons, and stops cleanly on SIGTERM', async () => {
    running = await startCli(['--port', '0', '--demo-api-key', 'cli-demo-key']);
    const out = running.stdout();
    for (const id of [
      DEMO_ORG_ID,
      DEMO_SUB_ORG_ID,
      'cli-demo-key',
      ...DEMO_CLIENTS.map((c) => c.client_id),
      ...DEMO_PERSONS.map((p) => p.person_id),
    ]) {
      assert.ok(out.includes(id), `prints ${id}`);
    }
    const res = await request(`${running.url}/oauth2/clients`, {
      headers: { 'SlashID-OrgID': DEMO_ORG_ID, 'SlashID-API-Key': 'cli-demo-key' },
    });
    assert.equal(res.statusCode, 200);
    await res.body.dump();
    running.child.kill('SIGTERM');
    const { code } = await running.exited;
    assert.equal(code, 0);
  });

  it('prints its control key; its /__emulator/ demo, faults and request log answer 401 without it and work with it (issue 19 L9)', async () => {
    running = await startCli(['--port', '0', '--demo-api-key', 'cli-demo-key-2']);
    const key = /^ {2}control key: (\S+) /m.exec(running.stdout())?.[1];
    assert.ok(key, `prints a control key: ${running.stdout()}`);
    const call = async (method: 'GET' | 'PUT' | 'DELETE', path: string, withKey: boolean) => {
      const res = await request(`${running!.url}${path}`, {
        method,
        headers: {
          ...(method === 'PUT' ? { 'Content-Type': 'application/json' } : {}),
          ...(withKey ? { 'SlashID-Emulator-Key': key } : {}),
        },
        ...(method === 'PUT' ? { body: JSON.stringify({ route: 'GET /oauth2/jwks-none', status: 503 }) } : {}),
      });
      return { status: res.statusCode, text: await res.body.text() };
    };
    for (const [method, path] of [
      ['GET', '/__emulator/demo'],
      ['GET', '/__emulator/requests'],
      ['PUT', '/__emulator/faults'],
      ['DELETE', '/__emulator/faults'],
    ] as const) {
      const without = await call(method, path, false);
      assert.equal(without.status, 401, `${method} ${path}`);
      assert.ok(!without.text.includes('cli-demo-key-2'));
    }
    const demo = await call('GET', '/__emulator/demo', true);
    assert.equal(demo.status, 200);
    assert.equal((JSON.parse(demo.text) as { result: { api_key: string } }).result.api_key, 'cli-demo-key-2');
    assert.equal((await call('GET', '/__emulator/requests', true)).status, 200);
    assert.equal((await call('DELETE', '/__emulator/faults', true)).status, 204);
    const fixed = await runCli(['--port', '0', '--control-key', 'short']);
    assert.equal(fixed.code, 2);
    assert.match(fixed.stderr, /--control-key must be 16 to 200 printable characters/);
    running.child.kill('SIGTERM');
    assert.equal((await running.exited).code, 0);
  });

  it('prints usage for --help and exits 2 for bad arguments', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: npm run emulator -- \[options\]/);
    assert.match(help.stdout, /--seed FILE/);
    const badPort = await runCli(['--port', 'eighty']);
    assert.equal(badPort.code, 2);
    assert.match(badPort.stderr, /--port/);
    const unknown = await runCli(['--colour']);
    assert.equal(unknown.code, 2);
  });

  it('serves the sign-in page at each --browser-host (and nothing else there); exits 2 for one that is not host:port', async () => {
    const bad = await runCli(['--port', '0', '--browser-host', 'http://127.0.0.1:8080/']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--browser-host: "http:\/\/127\.0\.0\.1:8080\/" is not a host:port/);

    running = await startCli(['--port', '0', '--browser-host', '127.0.0.1:8080', '--browser-host', 'dev-box:8443']);
    assert.match(running.stdout(), /sign-in page also at: 127\.0\.0\.1:8080, dev-box:8443/);
    const signIn = `/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: DEMO_CLIENTS[0].client_id }).toString()}`;
    const statusAt = (path: string, host: string) =>
      new Promise<number>((resolve, reject) => {
        const port = Number(new URL(running!.url).port);
        const req = http.request({ host: '127.0.0.1', port, path, headers: { Host: host }, setHost: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.notEqual(await statusAt(signIn, 'dev-box:8443'), 421);
    assert.equal(await statusAt('/__emulator/demo', 'dev-box:8443'), 421);
    assert.equal(await statusAt(signIn, 'dev-box:9999'), 421);
    running.child.kill('SIGTERM');
    assert.equal((await running.exited).code, 0);
  });

  it('exits 2 with a message naming the bad field of a seed file', async () => {
    const seedFile = path.join(dir, 'seed.json');
    await fs.writeFile(
      seedFile,
      JSON.stringify({
        orgs: [
          { id: ORG, api_key: 'k' },
          { id: CHILD, api_key: 'k2', parent_id: 'nope' },
        ],
        persons: [],
      }),
    );
    const bad = await runCli(['--port', '0', '--seed', seedFile]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /orgs\[1\]\.parent_id/);
    await fs.writeFile(seedFile, JSON.stringify({ orgs: [{ id: ORG }], persons: [] }));
    assert.match((await runCli(['--port', '0', '--seed', seedFile])).stderr, /orgs\[0\]\.api_key/);
    await fs.writeFile(seedFile, JSON.stringify({ orgs: [{ id: ORG, api_key: 'k' }], persons: [{ person_id: 'p1', org_id: ORG }] }));
    assert.match((await runCli(['--port', '0', '--seed', seedFile])).stderr, /persons\[0\]\.person_id/);
    await fs.writeFile(seedFile, '{ not json');
    const notJson = await runCli(['--port', '0', '--seed', seedFile]);
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /not valid JSON/);
    assert.equal((await runCli(['--port', '0', '--seed', path.join(dir, 'missing.json')])).code, 2);
  });

  it('starts from a seed file and keeps every acknowledged write in the state file across a SIGKILL mid-write', async () => {
    const seedFile = path.join(dir, 'seed.json');
    const stateFile = path.join(dir, 'state.json');
    await fs.writeFile(
      seedFile,
      JSON.stringify({
        orgs: [
          { id: ORG, api_key: 'seed-key' },
          { id: CHILD, api_key: 'child-key', parent_id: ORG },
        ],
        persons: [],
      }),
    );
    running = await startCli(['--port', '0', '--seed', seedFile, '--state', stateFile]);
    assert.ok(running.stdout().includes(ORG) && running.stdout().includes(CHILD));
    const headers = { 'SlashID-OrgID': ORG, 'SlashID-API-Key': 'seed-key', 'Content-Type': 'application/json' };
    const url = running.url;
    let acknowledged = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await request(`${url}/oauth2/clients`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ client_name: `w${w}-${i}`, scopes: ['a'], grant_types: ['client_credentials'] }),
          });
          await res.body.dump();
          if (res.statusCode === 201) acknowledged++;
        } catch {
          return; // the server was killed
        }
      }
    };
    const writers = Array.from({ length: 20 }, (_, w) => writer(w));
    await new Promise((r) => setTimeout(r, 400));
    running.child.kill('SIGKILL');
    await running.exited;
    stop = true;
    await Promise.all(writers);
    assert.ok(acknowledged > 0);

    const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { clients: unknown[] };
    assert.ok(state.clients.length >= acknowledged, `${state.clients.length} clients on disk, ${acknowledged} acknowledged`);

    running = await startCli(['--port', '0', '--seed', seedFile, '--state', stateFile]);
    const res = await request(`${running.url}/oauth2/clients`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': 'seed-key' } });
    const list = (await res.body.json()) as { result: unknown[] };
    assert.equal(list.result.length, state.clients.length);
    running.child.kill('SIGINT');
    assert.equal((await running.exited).code, 0);
  });
});
