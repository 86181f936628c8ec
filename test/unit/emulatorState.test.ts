/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their shape field by field; typing each answer first would only restate the assertions. */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { request } from 'undici';
import { SeedError, StateFileError, StateFileFormatError, startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';

const ORG = 'c0ffee00-0000-4000-8000-000000000001';
const SUB = 'c0ffee00-0000-4000-8000-000000000002';
const PERSON = 'c0ffee00-0000-4000-8000-0000000000aa';
const API_KEY = 'state-test-admin-key-canary';
const SEED: EmulatorSeed = {
  orgs: [
    { id: ORG, api_key: API_KEY },
    { id: SUB, api_key: 'sub-key', parent_id: ORG },
  ],
  persons: [{ person_id: PERSON, org_id: ORG, handles: [{ type: 'email_address', value: 'p@example.com' }] }],
};
const HEADERS = { 'SlashID-OrgID': ORG, 'SlashID-API-Key': API_KEY };

async function json(emu: Emulator, method: string, p: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await request(`${emu.url}${p}`, {
    method: method as 'GET',
    headers: body === undefined ? HEADERS : { ...HEADERS, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined };
}

async function clientCredentials(emu: Emulator, id: string, secret: string): Promise<number> {
  const res = await request(`${emu.url}/oauth2/tokens`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  await res.body.dump();
  return res.statusCode;
}

function createMany(emu: Emulator, n: number, prefix: string): Promise<number[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      json(emu, 'POST', '/oauth2/clients', { client_name: `${prefix} ${i}`, scopes: ['s'], grant_types: ['client_credentials'] }).then(
        (r) => r.status,
      ),
    ),
  );
}

describe('emulator state', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-emu-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps clients, secret hashes, persons, orgs, tokens and the signing key across a restart', async () => {
    const stateFile = path.join(dir, 'state.json');
    const first = await startEmulator({ seed: SEED, stateFile });
    const created = (
      await json(first, 'POST', '/oauth2/clients', { client_name: 'Kept', scopes: ['openid'], grant_types: ['client_credentials'] })
    ).body.result;
    const rotated: string = (await json(first, 'PUT', `/oauth2/clients/${created.client_id}/secret`)).body.result.client_secret;
    const minted: string = (await json(first, 'POST', '/oauth2/tokens/mint', { person_id: PERSON, client_id: created.client_id })).body
      .result.access_token;
    const firstJwks = (await json(first, 'GET', '/.well-known/jwks.json')).body as JSONWebKeySet;
    await first.close();

    const text = await fs.readFile(stateFile, 'utf8');
    for (const secret of [API_KEY, created.client_secret as string, rotated, minted]) {
      assert.ok(!text.includes(secret), 'no plaintext secret or token in the state file');
    }

    const second = await startEmulator({ stateFile, demo: false });
    try {
      const list = (await json(second, 'GET', '/oauth2/clients')).body.result as { client_id: string; client_name: string }[];
      assert.deepEqual(
        list.map((c) => c.client_name),
        ['Kept'],
      );
      assert.equal(await clientCredentials(second, created.client_id, rotated), 200);
      assert.equal(await clientCredentials(second, created.client_id, created.client_secret), 401);
      const jwks = (await json(second, 'GET', '/.well-known/jwks.json')).body as JSONWebKeySet;
      assert.deepEqual(jwks, firstJwks, 'same signing key');
      const { payload } = await jwtVerify(minted, createLocalJWKSet(jwks));
      assert.equal(payload.person_id, PERSON);
      assert.deepEqual(
        (await json(second, 'GET', '/persons')).body.result.map((p: { person_id: string }) => p.person_id),
        [PERSON],
      );
      assert.deepEqual((await json(second, 'GET', '/organizations/suborganizations')).body.result, [SUB]);
    } finally {
      await second.close();
    }
  });

  it('restarts a demo state with a new demo key and keeps its changes', async () => {
    const stateFile = path.join(dir, 'demo.json');
    const first = await startEmulator({ stateFile, demoApiKey: 'first-key' });
    const orgId = first.demo!.orgId;
    const del = await request(`${first.url}/oauth2/clients/${first.demo!.clientIds[0]}`, {
      method: 'DELETE',
      headers: { 'SlashID-OrgID': orgId, 'SlashID-API-Key': 'first-key' },
    });
    assert.equal(del.statusCode, 204);
    await first.close();
    const second = await startEmulator({ stateFile, demoApiKey: 'second-key' });
    try {
      assert.equal(second.demo!.clientIds.length, first.demo!.clientIds.length - 1);
      const old = await request(`${second.url}/oauth2/clients`, { headers: { 'SlashID-OrgID': orgId, 'SlashID-API-Key': 'first-key' } });
      assert.equal(old.statusCode, 401);
      await old.body.dump();
      const ok = await request(`${second.url}/oauth2/clients`, { headers: { 'SlashID-OrgID': orgId, 'SlashID-API-Key': 'second-key' } });
      assert.equal(((await ok.body.json()) as { result: unknown[] }).result.length, second.demo!.clientIds.length);
    } finally {
      await second.close();
    }
  });

  it('holds 200 concurrent creates in memory', async () => {
    const emu = await startEmulator({ seed: SEED });
    try {
      const statuses = await createMany(emu, 200, 'mem');
      assert.ok(statuses.every((s) => s === 201));
      assert.equal((await json(emu, 'GET', '/oauth2/clients')).body.result.length, 200);
    } finally {
      await emu.close();
    }
  });

  it('holds 200 concurrent creates with a state file, keeps it parseable throughout, and keeps all 200 after a restart', async () => {
    const stateFile = path.join(dir, 'load.json');
    const emu = await startEmulator({ seed: SEED, stateFile });
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await fs.readFile(stateFile, 'utf8');
        JSON.parse(text); // throws (and fails the test) on a half-written file
        reads++;
      }
    })();
    let statuses: number[];
    try {
      statuses = await createMany(emu, 200, 'file');
    } finally {
      writing = false;
      await reader;
      await emu.close();
    }
    assert.ok(statuses.every((s) => s === 201));
    assert.ok(reads > 0);
    const onDisk = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { clients: unknown[] };
    assert.equal(onDisk.clients.length, 200);
    assert.deepEqual(
      (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary files left',
    );

    const restarted = await startEmulator({ seed: SEED, stateFile });
    try {
      const names = ((await json(restarted, 'GET', '/oauth2/clients')).body.result as { client_name: string }[]).map((c) => c.client_name);
      assert.equal(names.length, 200);
      assert.equal(new Set(names).size, 200);
    } finally {
      await restarted.close();
    }
  });

  it('seeds 5,000 clients and lists them quickly', async () => {
    const clients = Array.from({ length: 5000 }, (_, i) => ({
      client_name: `Bulk ${i}`,
      scopes: ['a', 'b'],
      grant_types: ['client_credentials' as const],
    }));
    const started = Date.now();
    const emu = await startEmulator({ seed: { ...SEED, clients } });
    const seededIn = Date.now() - started;
    try {
      const t0 = Date.now();
      const list = await json(emu, 'GET', '/oauth2/clients');
      const listedIn = Date.now() - t0;
      assert.equal(list.body.result.length, 5000);
      assert.ok(seededIn < 5000, `seeding took ${seededIn} ms`);
      assert.ok(listedIn < 1000, `listing took ${listedIn} ms`);
      // A seeded client with a known secret can get tokens.
    } finally {
      await emu.close();
    }
    const known = await startEmulator({
      seed: { ...SEED, clients: [{ client_id: 'c0ffee00-0000-4000-8000-0000000000cc', client_secret: 'known-secret' }] },
    });
    try {
      assert.equal(await clientCredentials(known, 'c0ffee00-0000-4000-8000-0000000000cc', 'known-secret'), 200);
    } finally {
      await known.close();
    }
  });

  it('rejects a bad seed naming the field', async () => {
    await assert.rejects(startEmulator({ seed: { orgs: [{ id: 'not-a-uuid', api_key: 'k' }], persons: [] } }), (err: SeedError) => {
      assert.ok(err instanceof SeedError);
      assert.equal(err.field, 'orgs[0].id');
      return true;
    });
    await assert.rejects(
      startEmulator({ seed: { orgs: [{ id: ORG, api_key: 'k', parent_id: SUB }], persons: [] } }),
      /orgs\[0\]\.parent_id/,
    );
    await assert.rejects(
      startEmulator({ seed: { orgs: [{ id: ORG, api_key: 'k' }], persons: [{ person_id: PERSON, org_id: SUB }] } }),
      /persons\[0\]\.org_id/,
    );
    await assert.rejects(
      startEmulator({
        seed: { orgs: [{ id: ORG, api_key: 'k' }], persons: [], clients: [{ grant_types: ['password' as 'client_credentials'] }] },
      }),
      /clients\[0\]\.grant_types\[0\]/,
    );
  });

  it('refuses a corrupt state file instead of overwriting it', async () => {
    const stateFile = path.join(dir, 'bad.json');
    await fs.writeFile(stateFile, '{"version": 1, "orgs": [');
    await assert.rejects(startEmulator({ stateFile }), StateFileError);
    await fs.writeFile(stateFile, '{"version": 2}');
    await assert.rejects(startEmulator({ stateFile }), StateFileFormatError);
    assert.equal(await fs.readFile(stateFile, 'utf8'), '{"version": 2}');
  });
});
