/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their fields. */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { request } from 'undici';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { SSO_TOKEN_CONTAINER_TYP } from '../../src/slashid/contract';

const ORG = 'fa11fa11-0000-4000-8000-000000000001';
const OTHER = 'fa11fa11-0000-4000-8000-000000000002';
const PERSON = 'fa11fa11-0000-4000-8000-0000000000aa';
const KEY = 'hardening-admin-key';
const MEMBER_KEY = 'hardening-member-key';
const SEED: EmulatorSeed = {
  orgs: [
    { id: ORG, api_key: KEY },
    { id: ORG, api_key: MEMBER_KEY, role: 'member' },
    { id: OTHER, api_key: 'other-key' },
  ],
  persons: [{ person_id: PERSON, org_id: ORG, handles: [{ type: 'email_address', value: 'h@example.com' }] }],
};

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with exactly the headers given (node:http, so Host can be anything a DNS-rebinding browser sends). */
function raw(emu: Emulator, method: string, p: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: emu.port, method, path: p, headers, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function errorMessage(answer: RawAnswer): string {
  const parsed = JSON.parse(answer.body) as { errors: { httpcode: number; message: string }[] };
  assert.equal(parsed.errors[0].httpcode, answer.status);
  return parsed.errors[0].message;
}

describe('emulator hardening (issue 10)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: SEED });
  });
  after(async () => {
    await emu.close();
  });

  describe('Host and Origin', () => {
    it('refuses a Host that is not the loopback address and port it listens on (DNS rebinding), with the error envelope', async () => {
      for (const host of [
        'attacker.example',
        `attacker.example:${emu.port}`,
        `127.0.0.1:${emu.port + 1}`,
        '127.0.0.1',
        `10.0.0.1:${emu.port}`,
      ]) {
        const answer = await raw(emu, 'GET', '/.well-known/jwks.json', { Host: host });
        assert.equal(answer.status, 421, host);
        assert.match(errorMessage(answer), /answers only requests addressed to 127\.0\.0\.1:\d+, localhost:\d+ or \[::1\]:\d+/);
      }
      const demo = await startEmulator({ demoApiKey: 'rebinding-canary-key' });
      try {
        const answer = await raw(demo, 'GET', '/__emulator/demo', { Host: 'attacker.example' });
        assert.equal(answer.status, 421);
        assert.ok(!answer.body.includes('rebinding-canary-key'), 'the demo key is not given to another host');
      } finally {
        await demo.close();
      }
    });

    it('accepts 127.0.0.1:P, localhost:P and [::1]:P', async () => {
      for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `LOCALHOST:${emu.port}`, `[::1]:${emu.port}`]) {
        assert.equal((await raw(emu, 'GET', '/.well-known/jwks.json', { Host: host })).status, 200, host);
      }
    });

    it("refuses any Origin but the emulator's own, and accepts requests without one", async () => {
      const host = `127.0.0.1:${emu.port}`;
      const headers = { Host: host, 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' };
      const body = JSON.stringify({ org_id: ORG, person_id: PERSON, provider: 'google' });
      for (const origin of ['https://attacker.example', 'null', `http://localhost:${emu.port}`, `https://${host}`]) {
        const answer = await raw(emu, 'POST', '/__emulator/sso-logins', { ...headers, Origin: origin }, body);
        assert.equal(answer.status, 403, origin);
        assert.match(errorMessage(answer), /refuses requests from web pages of other sites/);
      }
      assert.equal((await raw(emu, 'POST', '/__emulator/sso-logins', { ...headers, Origin: `http://${host}` }, body)).status, 201);
      assert.equal((await raw(emu, 'POST', '/__emulator/sso-logins', headers, body)).status, 201);
    });

    it('refuses a cross-site text/plain POST even with the right Host (no SSO login is created)', async () => {
      const answer = await raw(
        emu,
        'POST',
        '/__emulator/sso-logins',
        { Host: `127.0.0.1:${emu.port}`, Origin: 'https://attacker.example', 'Content-Type': 'text/plain' },
        JSON.stringify({ org_id: ORG, person_id: PERSON, provider: 'google' }),
      );
      assert.equal(answer.status, 403);
      assert.ok(!answer.body.includes('token'));
    });
  });

  describe('request body size', () => {
    it('answers 413 in the error envelope to a body over 1 MiB, and keeps serving', async () => {
      const res = await request(`${emu.url}/oauth2/clients`, {
        method: 'POST',
        headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'x'.repeat(1024 * 1024), scopes: [], grant_types: ['client_credentials'] }),
      });
      const answer = (await res.body.json()) as any;
      assert.equal(res.statusCode, 413);
      assert.equal(answer.errors[0].httpcode, 413);
      assert.match(answer.errors[0].message, /larger than 1 MiB/);
      const after = await request(`${emu.url}/oauth2/clients`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY } });
      assert.equal(after.statusCode, 200);
      await after.body.dump();
    });
  });

  describe('Content-Type of JSON routes', () => {
    const headers = { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY };
    const body = JSON.stringify({ client_name: 'ct', scopes: ['s'], grant_types: ['client_credentials'] });
    for (const [route, method, p] of [
      ['create client', 'POST', '/oauth2/clients'],
      ['mint', 'POST', '/oauth2/tokens/mint'],
      ['sso login', 'POST', '/__emulator/sso-logins'],
      ['fault', 'PUT', '/__emulator/faults'],
      ['hosted-UI configuration', 'PUT', '/oauth2/clients/0a000000-0000-4000-8000-0000000000c1/ui-configuration'],
      ['SSO token query', 'POST', '/sso/oidc/tokens/query'],
      ['SSO token revoke', 'POST', '/sso/oidc/tokens/revoke/v2'],
    ] as const) {
      it(`answers 415 to a ${route} body that is not application/json`, async () => {
        for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
          const res = await request(`${emu.url}${p}`, {
            method,
            headers: type === undefined ? headers : { ...headers, 'Content-Type': type },
            body,
          });
          const answer = (await res.body.json()) as any;
          assert.equal(res.statusCode, 415, String(type));
          assert.equal(answer.errors[0].httpcode, 415);
          assert.match(answer.errors[0].message, /must be JSON, sent with Content-Type: application\/json/);
        }
      });
    }

    it('keeps application/x-www-form-urlencoded on the OAuth form routes', async () => {
      const res = await request(`${emu.url}/oauth2/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"grant_type":"client_credentials"}',
      });
      assert.equal(res.statusCode, 400);
      assert.equal(((await res.body.json()) as any).error, 'invalid_request');
    });
  });

  describe('SSO logins over HTTP', () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      request(`${emu.url}/__emulator/sso-logins`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const login = { org_id: ORG, person_id: PERSON, provider: 'google' };

    it("needs the org's admin API key", async () => {
      const cases: [Record<string, string>, number][] = [
        [{}, 400],
        [{ 'SlashID-OrgID': ORG }, 401],
        [{ 'SlashID-OrgID': ORG, 'SlashID-API-Key': 'wrong' }, 401],
        [{ 'SlashID-OrgID': ORG, 'SlashID-API-Key': 'other-key' }, 401],
        [{ 'SlashID-OrgID': ORG, 'SlashID-API-Key': MEMBER_KEY }, 403],
        [{ 'SlashID-OrgID': OTHER, 'SlashID-API-Key': 'other-key' }, 400],
      ];
      for (const [headers, status] of cases) {
        const res = await post(headers, login);
        const answer = (await res.body.json()) as any;
        assert.equal(res.statusCode, status, JSON.stringify(headers));
        assert.equal(answer.errors[0].httpcode, status);
      }
      const ok = await post({ 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY }, login);
      assert.equal(ok.statusCode, 201);
      const token = ((await ok.body.json()) as any).result.token as string;
      assert.equal(decodeProtectedHeader(token).typ, SSO_TOKEN_CONTAINER_TYP);
    });

    it('caps expires_in at one day', async () => {
      const headers = { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY };
      const tooLong = await post(headers, { ...login, expires_in: 86401 });
      assert.equal(tooLong.statusCode, 400);
      assert.match(((await tooLong.body.json()) as any).errors[0].message, /expires_in .*\(at most one day\)/);
      assert.equal((await post(headers, { ...login, expires_in: 86400 })).statusCode, 201);
      await assert.rejects(emu.createSsoLogin({ ...login, expires_in: 10 * 86400 }), /\(at most one day\)/);
    });

    it('gives the container its own typ, and GET /sso/oidc/tokens refuses an access token as a container', async () => {
      const container = await emu.createSsoLogin(login);
      assert.equal(decodeProtectedHeader(container).typ, SSO_TOKEN_CONTAINER_TYP);
      const created = await request(`${emu.url}/oauth2/clients`, {
        method: 'POST',
        headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'c', scopes: [], grant_types: ['client_credentials'] }),
      });
      const clientId = ((await created.body.json()) as any).result.client_id as string;
      const minted = await request(`${emu.url}/oauth2/tokens/mint`, {
        method: 'POST',
        headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ person_id: PERSON, client_id: clientId }),
      });
      const accessToken = ((await minted.body.json()) as any).result.access_token as string;
      const asContainer = await request(`${emu.url}/sso/oidc/tokens`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-Token': accessToken } });
      assert.equal(asContainer.statusCode, 401);
      assert.match(((await asContainer.body.json()) as any).errors[0].message, /not an SSO token container/);
      const real = await request(`${emu.url}/sso/oidc/tokens`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-Token': container } });
      assert.equal(real.statusCode, 200);
      await real.body.dump();
    });
  });

  describe('request log', () => {
    it('keeps the last 1,000 requests to known routes, paths shortened, unknown routes skipped', async () => {
      const log = await startEmulator({ seed: SEED });
      try {
        const longId = 'x'.repeat(5000);
        for (let i = 0; i < 1100; i++) {
          const res = await request(`${log.url}/oauth2/clients/${longId}${i}`, {
            headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY },
          });
          await res.body.dump();
        }
        for (let i = 0; i < 50; i++) {
          await (await request(`${log.url}/no/such/route/${i}`)).body.dump();
        }
        assert.equal(log.requests.length, 1000);
        assert.ok(log.requests.every((r) => r.route === 'GET /oauth2/clients/:id'));
        assert.ok(log.requests.every((r) => r.path.length <= 200 && r.path.endsWith('…')));
        const overHttp = (await (
          await request(`${log.url}/__emulator/requests`, { headers: { 'SlashID-Emulator-Key': log.controlKey! } })
        ).body.json()) as {
          result: { path: string }[];
        };
        assert.equal(overHttp.result.length, 1000);
        assert.ok(!overHttp.result.some((r) => r.path.startsWith('/no/such')));
      } finally {
        await log.close();
      }
    });
  });

  describe('state file', () => {
    it('writes through a new random temporary file (never a symlink planted at a guessable name), mode 0600', async () => {
      // Windows: planting a symlink needs a privilege, and file modes are not POSIX modes; the rest is checked there too.
      const posix = process.platform !== 'win32';
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-emu-harden-'));
      try {
        const stateFile = path.join(dir, 'state.json');
        const victim = path.join(dir, 'victim.txt');
        await fs.writeFile(victim, 'untouched');
        // The names the old code used: .state.json.<pid>.<n>.tmp
        for (let n = 1; posix && n <= 20; n++) {
          await fs.symlink(victim, path.join(dir, `.state.json.${process.pid}.${n}.tmp`));
        }
        const state = await startEmulator({ seed: SEED, stateFile });
        await state.close();
        assert.equal(await fs.readFile(victim, 'utf8'), 'untouched');
        const stat = await fs.lstat(stateFile);
        assert.ok(stat.isFile() && !stat.isSymbolicLink());
        if (posix) assert.equal(stat.mode & 0o777, 0o600);
        const leftovers = (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp') && !/^\.state\.json\.\d+\.\d+\.tmp$/.test(f));
        assert.deepEqual(leftovers, []);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    });
  });
});
