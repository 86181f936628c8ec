/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   The tests read JSON answers and assert their shape field by field; typing each answer first would only restate the assertions. */
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../emulator/index';

describe('emulator fault injection', () => {
  let emu: Emulator;
  let headers: Record<string, string>;
  before(async () => {
    emu = await startEmulator({ demoApiKey: 'fault-test-key' });
    headers = { 'SlashID-OrgID': emu.demo!.orgId, 'SlashID-API-Key': 'fault-test-key' };
  });
  afterEach(() => emu.faults.clear());
  after(async () => {
    await emu.close();
  });

  /** The emulator's control key, which its keyed /__emulator/ routes need. */
  const control = () => ({ 'SlashID-Emulator-Key': emu.controlKey! });

  const listClients = async () => {
    const res = await request(`${emu.url}/oauth2/clients`, { headers });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };

  it('delays a route by delayMs', async () => {
    emu.faults.set('GET /oauth2/clients', { delayMs: 300, times: 1 });
    const started = Date.now();
    assert.equal((await listClients()).status, 200);
    assert.ok(Date.now() - started >= 290, 'delayed');
    const again = Date.now();
    await listClients();
    assert.ok(Date.now() - again < 250, 'only once');
  });

  it('answers an injected status with an error envelope and Retry-After, without running the operation', async () => {
    emu.faults.set('POST /oauth2/clients', { status: 429, retryAfter: 7 });
    const before = JSON.parse((await listClients()).text).result.length;
    const res = await request(`${emu.url}/oauth2/clients`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'x', scopes: [], grant_types: ['client_credentials'] }),
    });
    assert.equal(res.statusCode, 429);
    assert.equal(res.headers['retry-after'], '7');
    const body = (await res.body.json()) as { errors: { httpcode: number; message: string }[] };
    assert.equal(body.errors[0].httpcode, 429);
    assert.equal(JSON.parse((await listClients()).text).result.length, before, 'no client was created');
  });

  it('drops the connection', async () => {
    emu.faults.set('GET /oauth2/clients', { drop: true, times: 1 });
    await assert.rejects(listClients(), (err: Error & { code?: string }) =>
      /closed|socket|ECONNRESET/i.test(`${err.code ?? ''} ${err.message}`),
    );
    assert.equal(emu.requests.at(-1)!.status, 0);
    assert.equal((await listClients()).status, 200);
  });

  it('breaks bodies: truncated JSON, not JSON, and JSON of the wrong shape', async () => {
    emu.faults.set('GET /oauth2/clients', { malformed: 'truncated', times: 1 });
    const truncated = await listClients();
    assert.equal(truncated.status, 200);
    assert.throws(() => JSON.parse(truncated.text) as unknown, SyntaxError);
    assert.ok(truncated.text.startsWith('{'));

    emu.faults.set('GET /oauth2/clients', { malformed: 'not-json', times: 1 });
    const html = await listClients();
    assert.match(String(html.headers['content-type']), /text\/html/);
    assert.throws(() => JSON.parse(html.text) as unknown, SyntaxError);

    emu.faults.set('GET /oauth2/clients', { malformed: 'schema', times: 1 });
    const wrong = JSON.parse((await listClients()).text) as { result: unknown };
    assert.ok(!Array.isArray(wrong.result) && typeof wrong.result === 'object', 'result is no longer an array');

    emu.faults.set('POST /oauth2/tokens', { malformed: 'schema', times: 1 });
    const token = await request(`${emu.url}/oauth2/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const tokenBody = await token.body.json();
    assert.ok(Array.isArray(tokenBody), 'a plain OAuth body becomes an array');

    emu.faults.set('GET /oauth2/clients', { malformed: 'field', field: 'scopes', times: 1 });
    const [first, ...rest] = (JSON.parse((await listClients()).text) as { result: Record<string, unknown>[] }).result;
    assert.equal(first.scopes, 42, 'the first item has the field broken');
    assert.ok(
      rest.every((c) => Array.isArray(c.scopes)),
      'the other items are intact',
    );
    assert.throws(() => emu.faults.set('GET /oauth2/clients', { malformed: 'field' }), /malformed 'field' and field go together/);

    assert.ok(Array.isArray(JSON.parse((await listClients()).text).result), 'back to normal');
  });

  it('counts `times` and lets a route fault win over the "*" fault', async () => {
    emu.faults.set('*', { status: 503, times: 3 });
    emu.faults.set('GET /oauth2/clients', { status: 500, times: 1 });
    assert.equal((await listClients()).status, 500);
    assert.equal((await listClients()).status, 503);
    const jwks = await request(`${emu.url}/.well-known/jwks.json`);
    assert.equal(jwks.statusCode, 503);
    await jwks.body.dump();
    assert.equal((await listClients()).status, 503);
    assert.equal((await listClients()).status, 200);
  });

  it('never faults the control routes and rejects invalid faults', async () => {
    emu.faults.set('*', { status: 500 });
    const demo = await request(`${emu.url}/__emulator/demo`, { headers: control() });
    assert.equal(demo.statusCode, 200);
    await demo.body.dump();
    assert.throws(() => emu.faults.set('GET /oauth2/clients', { status: 42 }), /Invalid fault/);
    assert.throws(() => emu.faults.set('GET /oauth2/clients', { drop: true, status: 500 }), /at most one/);
    assert.throws(() => emu.faults.set('clients', { status: 500 }), /Invalid fault route/);
  });

  it('is controlled over HTTP: PUT and DELETE /__emulator/faults', async () => {
    const put = await request(`${emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...control() },
      body: JSON.stringify({ route: 'GET /oauth2/clients', status: 502, times: 2 }),
    });
    assert.equal(put.statusCode, 204);
    await put.body.dump();
    assert.equal((await listClients()).status, 502);
    const putAll = await request(`${emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...control() },
      body: JSON.stringify({ route: '*', delayMs: 1, status: 418 }),
    });
    assert.equal(putAll.statusCode, 204);
    await putAll.body.dump();
    const del = await request(`${emu.url}/__emulator/faults`, { method: 'DELETE', headers: control() });
    assert.equal(del.statusCode, 204);
    await del.body.dump();
    assert.equal((await listClients()).status, 200);
    const bad = await request(`${emu.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', ...control() },
      body: JSON.stringify({ route: 'GET /x', malformed: 'garbled' }),
    });
    assert.equal(bad.statusCode, 400);
    await bad.body.dump();
  });

  it('records every request to a known route with its route key and status, never bodies', async () => {
    const start = emu.requests.length;
    await listClients();
    const id = emu.demo!.clientIds[0];
    const secret = await request(`${emu.url}/oauth2/clients/${id}/secret`, { method: 'PUT', headers });
    await secret.body.dump();
    const missing = await request(`${emu.url}/nowhere?x=1`);
    await missing.body.dump();
    const seen = emu.requests.slice(start);
    assert.deepEqual(
      seen.map(({ method, path, route, status }) => ({ method, path, route, status })),
      [
        { method: 'GET', path: '/oauth2/clients', route: 'GET /oauth2/clients', status: 200 },
        { method: 'PUT', path: `/oauth2/clients/${id}/secret`, route: 'PUT /oauth2/clients/:id/secret', status: 200 },
      ],
    );
    assert.ok(seen.every((r) => typeof r.at === 'number' && Object.keys(r).length === 5));
    const overHttp = (await (await request(`${emu.url}/__emulator/requests`, { headers: control() })).body.json()) as { result: unknown[] };
    assert.ok(overHttp.result.length >= start + 2);
  });
});

describe('emulator test-only routes: keyed, or off (issue 19 L9)', () => {
  const keyedRoutes = [
    ['GET', '/__emulator/demo', undefined],
    ['GET', '/__emulator/requests', undefined],
    ['PUT', '/__emulator/faults', JSON.stringify({ route: 'GET /oauth2/clients', status: 503, times: 1 })],
    ['DELETE', '/__emulator/faults', undefined],
  ] as const;
  const call = async (emu: Emulator, method: string, path: string, body: string | undefined, key?: string) => {
    const res = await request(`${emu.url}${path}`, {
      method: method as 'GET',
      headers: { ...(body ? { 'Content-Type': 'application/json' } : {}), ...(key !== undefined ? { 'SlashID-Emulator-Key': key } : {}) },
      ...(body ? { body } : {}),
    });
    return { status: res.statusCode, text: await res.body.text() };
  };
  const clientsStatus = async (emu: Emulator) => {
    const res = await request(`${emu.url}/oauth2/clients`, {
      headers: { 'SlashID-OrgID': emu.demo!.orgId, 'SlashID-API-Key': emu.demo!.apiKey },
    });
    await res.body.dump();
    return res.statusCode;
  };

  it("the CLI's (and the default): 401 without the control key or with another, and they work with it", async () => {
    const emu = await startEmulator({ demo: true, controlKey: 'a-control-key-for-tests-123' });
    try {
      assert.equal(emu.controlKey, 'a-control-key-for-tests-123');
      for (const [method, path, body] of keyedRoutes) {
        const without = await call(emu, method, path, body);
        assert.equal(without.status, 401, `${method} ${path} without the key`);
        assert.match(without.text, /control key in the SlashID-Emulator-Key header/);
        assert.ok(!without.text.includes(emu.demo!.apiKey));
        assert.equal(
          (await call(emu, method, path, body, 'a-control-key-for-tests-12X')).status,
          401,
          `${method} ${path} with another key`,
        );
        assert.equal((await call(emu, method, path, body, '')).status, 401, `${method} ${path} with an empty key`);
      }
      assert.equal(await clientsStatus(emu), 200, 'no fault was set without the key');
      const demo = await call(emu, 'GET', '/__emulator/demo', undefined, emu.controlKey);
      assert.equal(demo.status, 200);
      assert.equal(JSON.parse(demo.text).result.api_key, emu.demo!.apiKey);
      assert.equal((await call(emu, ...keyedRoutes[2], emu.controlKey)).status, 204);
      assert.equal(await clientsStatus(emu), 503, 'the fault was set with the key');
      assert.equal((await call(emu, ...keyedRoutes[2], emu.controlKey)).status, 204);
      assert.equal((await call(emu, 'DELETE', '/__emulator/faults', undefined, emu.controlKey)).status, 204);
      assert.equal(await clientsStatus(emu), 200, 'and cleared with it');
      assert.equal((await call(emu, 'GET', '/__emulator/requests', undefined, emu.controlKey)).status, 200);
      // The providers' public keys stay open: SSO ID tokens name them as their issuer's keys.
      assert.equal((await call(emu, 'GET', '/__emulator/providers/google/jwks.json', undefined)).status, 200);
    } finally {
      await emu.close();
    }
    const random = await startEmulator({ demo: true });
    try {
      assert.match(random.controlKey ?? '', /^emuctl_[\w-]{32}$/, 'a random key by default');
      assert.equal((await call(random, 'GET', '/__emulator/demo', undefined)).status, 401);
    } finally {
      await random.close();
    }
  });

  it("the one inside VS Code (controlRoutes: 'off'): 404 for the demo org's key, the faults, the request log and SSO logins", async () => {
    const emu = await startEmulator({ demo: true, controlRoutes: 'off' });
    try {
      assert.equal(emu.controlKey, undefined);
      for (const [method, path, body] of [...keyedRoutes, ['POST', '/__emulator/sso-logins', '{}'] as const]) {
        for (const key of [undefined, 'anything-at-all-1234567']) {
          const answer = await call(emu, method, path, body, key);
          assert.equal(answer.status, 404, `${method} ${path}`);
          assert.ok(!answer.text.includes(emu.demo!.apiKey));
        }
      }
      assert.equal(await clientsStatus(emu), 200, 'no fault was set');
      assert.equal((await call(emu, 'GET', '/__emulator/providers/google/jwks.json', undefined)).status, 200);
      // The owner still controls it in process.
      emu.faults.set('GET /.well-known/jwks.json', { status: 503, times: 1 });
      assert.equal((await call(emu, 'GET', '/.well-known/jwks.json', undefined)).status, 503);
    } finally {
      await emu.close();
    }
  });
});
