/**
 * The emulator under load, through the extension's own API client (`SlashIdClient`), checked by client ID:
 * 200 concurrent creates lose nothing and survive a restart from the state file; a SIGKILL in the middle of
 * a stream of creates leaves a state file that parses and holds every create that was acknowledged.
 *
 * emulatorState.test.ts ("holds 200 concurrent creates with a state file…") and emulatorCli.test.ts
 * ("…keeps every acknowledged write in the state file across a SIGKILL mid-write") load the emulator with
 * raw HTTP and compare counts; these compare the IDs the client was given.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_ORG_ID, startEmulator } from '../../emulator/index';
import { SlashIdClient } from '../../src/slashid/client';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import type { CreateClientRequest } from '../../src/slashid/schemas';

const CLI = path.resolve(__dirname, '../../emulator/cli.js');
const ORG = 'eeeeeeee-0000-4000-8000-000000000001';
const KEY = 'reliability-load-key-4c1d';
const WRITES = 200;

function createRequest(name: string): CreateClientRequest {
  return { client_name: name, grant_types: ['client_credentials'], scopes: ['read'] };
}

/** Every `client_id` of the `clients` of a state file. */
async function clientIdsOnDisk(file: string): Promise<Set<string>> {
  const state = JSON.parse(await fs.readFile(file, 'utf8')) as { clients?: { client_id?: unknown }[] };
  assert.ok(Array.isArray(state.clients), 'the state file has no clients array');
  return new Set(state.clients.map((c) => c.client_id).filter((id): id is string => typeof id === 'string'));
}

interface RunningCli {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start: ${out}`)), 15_000);
    child.stdout.on('data', () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the CLI exited with ${code}: ${out}`));
    });
  });
}

describe('reliability: the emulator under load', function () {
  this.timeout(30_000);
  let dir: string;
  let pools: PoolRegistry;
  let running: RunningCli | undefined;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-reliability-'));
  });
  beforeEach(() => {
    pools = new PoolRegistry();
  });
  afterEach(async () => {
    await pools.close();
    if (running && running.child.exitCode === null && running.child.signalCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    running = undefined;
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it(`${WRITES} concurrent creates through SlashIdClient: every ID listed, on disk, and listed again after a restart`, async () => {
    const stateFile = path.join(dir, 'load.json');
    const seed = { orgs: [{ id: ORG, api_key: KEY }], persons: [] };
    const emulator = await startEmulator({ seed, stateFile });
    let ids: string[];
    try {
      const api = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG, apiKey: () => KEY, pools });
      const created = await Promise.all(Array.from({ length: WRITES }, (_, i) => api.createClient(createRequest(`load-${i}`))));
      ids = created.map((c) => c.client_id);
      assert.equal(new Set(ids).size, WRITES, 'two creates got the same ID');
      assert.ok(created.every((c) => typeof c.client_secret === 'string' && c.client_secret.length > 0));
      const listed = new Set((await api.listClients()).map((c) => c.client_id));
      assert.deepEqual(
        ids.filter((id) => !listed.has(id)),
        [],
        'created clients missing from the list',
      );
    } finally {
      await emulator.close();
    }
    const onDisk = await clientIdsOnDisk(stateFile);
    const lostOnDisk = ids.filter((id) => !onDisk.has(id));
    assert.deepEqual(lostOnDisk, [], 'created clients missing from the state file');

    const restarted = await startEmulator({ seed, stateFile });
    let lost: string[];
    try {
      const api = new SlashIdClient({ baseUrl: restarted.url, orgId: ORG, apiKey: () => KEY, pools });
      const listed = new Set((await api.listClients()).map((c) => c.client_id));
      lost = ids.filter((id) => !listed.has(id));
    } finally {
      await restarted.close();
    }
    assert.deepEqual(lost, [], 'clients lost across the restart');
    console.log(`      emulator load: ${WRITES} concurrent writes, ${lost.length + lostOnDisk.length} lost`);
  });

  it('a SIGKILL in the middle of creates leaves a readable state file holding every acknowledged create', async () => {
    const stateFile = path.join(dir, 'killed.json');
    const key = 'reliability-kill-key-8e2a';
    const args = ['--port', '0', '--state', stateFile, '--demo-api-key', key];
    running = await startCli(args);
    const api = new SlashIdClient({ baseUrl: running.url, orgId: DEMO_ORG_ID, apiKey: () => key, pools, timeoutMs: 5_000 });
    const acknowledged: string[] = [];
    let failures = 0;
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          acknowledged.push((await api.createClient(createRequest(`kill-${w}-${i}`))).client_id);
        } catch {
          failures++; // the server was killed under this request: not acknowledged
          return;
        }
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    // Kill once a good number of writes went through (or after 3 s at most).
    const started = Date.now();
    while (acknowledged.length < 60 && Date.now() - started < 3_000) await new Promise((resolve) => setTimeout(resolve, 10));
    running.child.kill('SIGKILL');
    await running.exited;
    stop = true;
    await Promise.all(writers);
    assert.ok(acknowledged.length > 0, 'no create was acknowledged before the kill');
    assert.ok(failures > 0, 'no create was cut off by the kill: it did not happen mid-stream');

    // The file parses (JSON.parse inside) and holds every acknowledged create.
    const onDisk = await clientIdsOnDisk(stateFile);
    const missing = acknowledged.filter((id) => !onDisk.has(id));
    assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged creates are not in the state file`);

    running = await startCli(args);
    const again = new SlashIdClient({ baseUrl: running.url, orgId: DEMO_ORG_ID, apiKey: () => key, pools });
    const listed = new Set((await again.listClients()).map((c) => c.client_id));
    const lost = acknowledged.filter((id) => !listed.has(id));
    assert.deepEqual(lost, [], 'acknowledged creates lost when restarting from the state file');
    running.child.kill('SIGINT');
    assert.equal(await running.exited, 0);
    console.log(`      emulator kill: ${acknowledged.length} acknowledged writes before SIGKILL, ${missing.length + lost.length} lost`);
  });
});
