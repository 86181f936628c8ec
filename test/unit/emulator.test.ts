/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their shape field by field; typing each answer first would only restate the assertions. */
import * as assert from 'node:assert/strict';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { request } from 'undici';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { RESERVED_CLAIMS } from '../../src/tokens/reservedClaims';

const ROOT = '11111111-1111-4111-8111-111111111111';
const CHILD = '22222222-2222-4222-8222-222222222222';
const GRANDCHILD = '33333333-3333-4333-8333-333333333333';
const OTHER = '44444444-4444-4444-8444-444444444444';
const ALICE = 'aaaaaaaa-0000-4000-8000-000000000001';
const BOB = 'aaaaaaaa-0000-4000-8000-000000000002';
const CHILD_PERSON = 'aaaaaaaa-0000-4000-8000-000000000003';

const SEED: EmulatorSeed = {
  orgs: [
    { id: ROOT, api_key: 'root-admin-key', name: 'Root' },
    { id: ROOT, api_key: 'root-member-key', role: 'member' },
    { id: CHILD, api_key: 'child-admin-key', parent_id: ROOT },
    { id: GRANDCHILD, api_key: 'grandchild-admin-key', parent_id: CHILD },
    { id: OTHER, api_key: 'other-admin-key' },
  ],
  persons: [
    { person_id: ALICE, org_id: ROOT, handles: [{ type: 'email_address', value: 'alice@example.com' }] },
    { person_id: BOB, org_id: ROOT, handles: [{ type: 'email_address', value: 'bob@example.org' }] },
    { person_id: CHILD_PERSON, org_id: CHILD },
  ],
};

const KEYS: Record<string, string> = {
  [ROOT]: 'root-admin-key',
  [CHILD]: 'child-admin-key',
  [GRANDCHILD]: 'grandchild-admin-key',
  [OTHER]: 'other-admin-key',
};

interface CallOptions {
  org?: string | null;
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

async function call(emu: Emulator, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const org = options.org === undefined ? ROOT : options.org;
  const headers: Record<string, string> = { ...options.headers };
  if (org !== null) headers['SlashID-OrgID'] = org;
  const key = options.key === undefined ? (org ? KEYS[org] : undefined) : options.key;
  if (key) headers['SlashID-API-Key'] = key;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await request(`${emu.url}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : undefined };
}

async function oauth(emu: Emulator, path: string, form: Record<string, string>, basic?: { id: string; secret: string }): Promise<Answer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (basic)
    headers.Authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  const res = await request(`${emu.url}${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: res.statusCode, headers: res.headers, json: await res.body.json() };
}

async function createClient(emu: Emulator, org: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await call(emu, 'POST', '/oauth2/clients', {
    org,
    body: {
      client_name: 'Test client',
      scopes: ['read', 'write', 'openid', 'offline_access'],
      grant_types: ['client_credentials'],
      ...body,
    },
  });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return { id: res.json.result.client_id, secret: res.json.result.client_secret };
}

describe('emulator API', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: SEED });
  });
  after(async () => {
    await emu.close();
  });

  describe('authentication and roles', () => {
    it('answers 400 without SlashID-OrgID and 401 for a missing, wrong or other org key', async () => {
      assert.equal((await call(emu, 'GET', '/oauth2/clients', { org: null, key: 'root-admin-key' })).status, 400);
      assert.equal((await call(emu, 'GET', '/oauth2/clients', { key: null })).status, 401);
      const wrong = await call(emu, 'GET', '/oauth2/clients', { key: 'nope' });
      assert.equal(wrong.status, 401);
      assert.deepEqual(wrong.json, { errors: [{ httpcode: 401, message: wrong.json.errors[0].message }] });
      assert.equal((await call(emu, 'GET', '/oauth2/clients', { key: 'other-admin-key' })).status, 401);
      assert.equal((await call(emu, 'GET', '/oauth2/clients', { org: '99999999-9999-4999-8999-999999999999', key: 'x' })).status, 401);
    });

    it('lets member keys read but answers 403 to their create, patch, delete and rotate', async () => {
      const { id } = await createClient(emu, ROOT);
      const member = { key: 'root-member-key' };
      assert.equal((await call(emu, 'GET', '/oauth2/clients', member)).status, 200);
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${id}`, member)).status, 200);
      assert.equal((await call(emu, 'GET', '/persons', member)).status, 200);
      const create = await call(emu, 'POST', '/oauth2/clients', {
        ...member,
        body: { client_name: 'm', scopes: [], grant_types: ['client_credentials'] },
      });
      assert.equal(create.status, 403);
      assert.equal((await call(emu, 'PATCH', `/oauth2/clients/${id}`, { ...member, body: { client_name: 'x' } })).status, 403);
      assert.equal((await call(emu, 'DELETE', `/oauth2/clients/${id}`, member)).status, 403);
      assert.equal((await call(emu, 'PUT', `/oauth2/clients/${id}/secret`, member)).status, 403);
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${id}`)).json.result.client_name, 'Test client');
    });

    it('honours SlashID-Required-Consistency on writes', async () => {
      const body = { client_name: 'c', scopes: [], grant_types: ['client_credentials'] };
      for (const level of ['local_region', 'all_regions']) {
        assert.equal(
          (await call(emu, 'POST', '/oauth2/clients', { body, headers: { 'SlashID-Required-Consistency': level } })).status,
          201,
        );
      }
      const bad = await call(emu, 'POST', '/oauth2/clients', { body, headers: { 'SlashID-Required-Consistency': 'eventual' } });
      assert.equal(bad.status, 400);
    });
  });

  describe('clients', () => {
    it('creates a client with defaults, derived response types, a one-time secret and created_at', async () => {
      const res = await call(emu, 'POST', '/oauth2/clients', {
        body: {
          client_name: 'Web',
          scopes: ['openid', 'profile'],
          grant_types: ['authorization_code'],
          redirect_uris: ['https://app.example.com/cb'],
        },
      });
      assert.equal(res.status, 201);
      const c = res.json.result;
      assert.match(c.client_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(typeof c.client_secret, 'string');
      assert.ok(c.client_secret.length >= 32);
      assert.deepEqual(c.response_types, [['code'], ['code', 'id_token']]);
      assert.equal(c.access_token_duration, 86400);
      assert.equal(c.refresh_token_duration, 864000);
      assert.equal(c.public, false);
      assert.ok(!Number.isNaN(Date.parse(c.created_at)));
      assert.equal(c.last_used, undefined);
      const got = await call(emu, 'GET', `/oauth2/clients/${c.client_id}`);
      assert.equal(got.json.result.client_secret, undefined);
      const { client_secret: _secret, ...withoutSecret } = c;
      assert.deepEqual(got.json.result, withoutSecret);
      const cc = await call(emu, 'POST', '/oauth2/clients', {
        body: { client_name: 'M2M', scopes: ['a'], grant_types: ['client_credentials'] },
      });
      assert.deepEqual(cc.json.result.response_types, []);
    });

    it('rejects invalid create and update bodies with 400', async () => {
      const valid = { client_name: 'ok', scopes: ['a'], grant_types: ['client_credentials'] };
      const cases: Record<string, unknown>[] = [
        { ...valid, grant_types: ['refresh_token'] },
        { ...valid, grant_types: ['implicit'] },
        { ...valid, grant_types: [] },
        { scopes: ['a'], grant_types: ['client_credentials'] },
        { client_name: 'x', grant_types: ['client_credentials'] },
        { client_name: 'x', scopes: ['a'] },
        { ...valid, client_name: '' },
        { ...valid, redirect_uris: ['/relative/callback'] },
        { ...valid, redirect_uris: ['not a url'] },
        { ...valid, access_token_duration: 0 },
        { ...valid, access_token_duration: -5 },
        { ...valid, access_token_duration: 1.5 },
        { ...valid, refresh_token_duration: '3600' },
        { ...valid, public: true },
      ];
      for (const body of cases) {
        const res = await call(emu, 'POST', '/oauth2/clients', { body });
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.json.errors[0].httpcode, 400);
      }
      const bad = await request(`${emu.url}/oauth2/clients`, {
        method: 'POST',
        headers: { 'SlashID-OrgID': ROOT, 'SlashID-API-Key': 'root-admin-key', 'Content-Type': 'application/json' },
        body: '{nope',
      });
      assert.equal(bad.statusCode, 400);
      await bad.body.dump();
      const { id } = await createClient(emu, ROOT);
      assert.equal((await call(emu, 'PATCH', `/oauth2/clients/${id}`, { body: { grant_types: ['password'] } })).status, 400);
      assert.equal((await call(emu, 'PATCH', `/oauth2/clients/${id}`, { body: { access_token_duration: 0 } })).status, 400);
      assert.equal((await call(emu, 'PATCH', `/oauth2/clients/${id}`, { body: { redirect_uris: ['x'] } })).status, 400);
    });

    it('updates fields and re-derives response types', async () => {
      const { id } = await createClient(emu, ROOT, { scopes: ['a'] });
      const res = await call(emu, 'PATCH', `/oauth2/clients/${id}`, {
        body: {
          client_name: 'Renamed',
          grant_types: ['authorization_code'],
          redirect_uris: ['http://localhost:3000/cb'],
          access_token_duration: 60,
        },
      });
      assert.equal(res.status, 200);
      assert.equal(res.json.result.client_name, 'Renamed');
      assert.deepEqual(res.json.result.response_types, [['code']]);
      assert.equal(res.json.result.access_token_duration, 60);
      assert.deepEqual(res.json.result.scopes, ['a']);
    });

    it('lists only the header org’s own clients', async () => {
      const own = await createClient(emu, CHILD);
      const list = await call(emu, 'GET', '/oauth2/clients', { org: CHILD });
      assert.equal(list.status, 200);
      assert.ok(list.json.result.some((c: { client_id: string }) => c.client_id === own.id));
      const rootList = await call(emu, 'GET', '/oauth2/clients');
      assert.ok(!rootList.json.result.some((c: { client_id: string }) => c.client_id === own.id));
      assert.equal(list.json.meta.pagination.total_count, list.json.result.length);
    });

    it('applies the parent/child rules: owner and any ancestor 200, child/sibling/unrelated 403, unknown 404', async () => {
      const grandchildClient = await createClient(emu, GRANDCHILD);
      const childClient = await createClient(emu, CHILD);
      for (const org of [GRANDCHILD, CHILD, ROOT]) {
        assert.equal((await call(emu, 'GET', `/oauth2/clients/${grandchildClient.id}`, { org })).status, 200, org);
      }
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${grandchildClient.id}`, { org: OTHER })).status, 403);
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${childClient.id}`, { org: GRANDCHILD })).status, 403);
      assert.equal(
        (await call(emu, 'PATCH', `/oauth2/clients/${childClient.id}`, { org: GRANDCHILD, body: { client_name: 'x' } })).status,
        403,
      );
      assert.equal((await call(emu, 'DELETE', `/oauth2/clients/${childClient.id}`, { org: OTHER })).status, 403);
      assert.equal((await call(emu, 'PUT', `/oauth2/clients/${childClient.id}/secret`, { org: GRANDCHILD })).status, 403);
      assert.equal((await call(emu, 'GET', '/oauth2/clients/00000000-0000-4000-8000-000000000000')).status, 404);
      // A parent may manage its descendant's client.
      assert.equal(
        (await call(emu, 'PATCH', `/oauth2/clients/${grandchildClient.id}`, { org: ROOT, body: { client_name: 'by root' } })).status,
        200,
      );
      assert.equal((await call(emu, 'DELETE', `/oauth2/clients/${grandchildClient.id}`, { org: ROOT })).status, 204);
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${grandchildClient.id}`, { org: GRANDCHILD })).status, 404);
    });
  });

  describe('client credentials, rotation, deletion and introspection', () => {
    it('issues opaque access tokens, updates last_used, and checks scopes and grants', async () => {
      const client = await createClient(emu, ROOT, { scopes: ['read', 'write'], access_token_duration: 120 });
      const res = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials', scope: 'read' }, client);
      assert.equal(res.status, 200);
      assert.match(res.json.access_token, /^sid_at_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(Object.keys(res.json).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
      assert.equal(res.json.expires_in, 120);
      assert.equal(res.json.scope, 'read');
      assert.equal(res.json.token_type, 'bearer');
      const all = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, client);
      assert.equal(all.json.scope, 'read write');
      const got = await call(emu, 'GET', `/oauth2/clients/${client.id}`);
      assert.ok(Date.parse(got.json.result.last_used) > 0);

      const post = await oauth(emu, '/oauth2/tokens', {
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      });
      assert.equal(post.status, 200, 'client_secret_post works too');

      const badScope = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials', scope: 'read admin' }, client);
      assert.equal(badScope.status, 400);
      assert.equal(badScope.json.error, 'invalid_scope');
      const badGrant = await oauth(emu, '/oauth2/tokens', { grant_type: 'password' }, client);
      assert.equal(badGrant.json.error, 'unsupported_grant_type');
      const authCodeOnly = await createClient(emu, ROOT, { grant_types: ['authorization_code'] });
      const unauthorized = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, authCodeOnly);
      assert.equal(unauthorized.status, 400);
      assert.equal(unauthorized.json.error, 'unauthorized_client');
      const wrong = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, { id: client.id, secret: 'wrong' });
      assert.equal(wrong.status, 401);
      assert.equal(wrong.json.error, 'invalid_client');
      assert.equal((await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' })).status, 401);
    });

    it('refuses a public client’s secret', async () => {
      const pub = await createClient(emu, ROOT, { public: true, grant_types: ['authorization_code'], scopes: ['openid'] });
      const res = await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, pub);
      assert.equal(res.status, 401);
      assert.equal(res.json.error, 'invalid_client');
    });

    it('introspects opaque tokens and minted JWTs; other orgs’ clients see them inactive', async () => {
      const client = await createClient(emu, ROOT, { scopes: ['read'] });
      const { access_token } = (await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, client)).json;
      const info = await oauth(emu, '/oauth2/tokens/introspect', { token: access_token, token_type_hint: 'access_token' }, client);
      assert.equal(info.status, 200);
      assert.equal(info.json.active, true);
      assert.equal(info.json.client_id, client.id);
      assert.equal(info.json.scope, 'read');
      assert.equal(info.json.exp - info.json.iat, 86400);

      const minted = await call(emu, 'POST', '/oauth2/tokens/mint', { body: { person_id: ALICE, client_id: client.id, scopes: ['read'] } });
      const jwtInfo = await oauth(emu, '/oauth2/tokens/introspect', { token: minted.json.result.access_token }, client);
      assert.equal(jwtInfo.json.active, true);
      assert.equal(jwtInfo.json.client_id, client.id);

      const tampered = `${minted.json.result.access_token.slice(0, -4)}AAAA`;
      assert.deepEqual((await oauth(emu, '/oauth2/tokens/introspect', { token: tampered }, client)).json, { active: false });
      assert.deepEqual((await oauth(emu, '/oauth2/tokens/introspect', { token: 'sid_at_unknown' }, client)).json, { active: false });
      const stranger = await createClient(emu, OTHER);
      assert.deepEqual((await oauth(emu, '/oauth2/tokens/introspect', { token: access_token }, stranger)).json, { active: false });
      assert.equal((await oauth(emu, '/oauth2/tokens/introspect', { token: access_token }, { id: client.id, secret: 'x' })).status, 401);
    });

    it('rotating a secret stops the old one at once', async () => {
      const client = await createClient(emu, ROOT);
      const rotated = await call(emu, 'PUT', `/oauth2/clients/${client.id}/secret`);
      assert.equal(rotated.status, 200);
      const newSecret: string = rotated.json.result.client_secret;
      assert.notEqual(newSecret, client.secret);
      assert.deepEqual(Object.keys(rotated.json.result), ['client_secret']);
      assert.equal((await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, client)).status, 401);
      assert.equal(
        (await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, { id: client.id, secret: newSecret })).status,
        200,
      );
    });

    it('deleting a client stops its secret and its tokens', async () => {
      const client = await createClient(emu, ROOT);
      const watcher = await createClient(emu, ROOT);
      const { access_token } = (await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, client)).json;
      const minted = (
        await call(emu, 'POST', '/oauth2/tokens/mint', { body: { person_id: ALICE, client_id: client.id, scopes: ['offline_access'] } })
      ).json.result;
      for (const token of [access_token, minted.access_token, minted.refresh_token]) {
        assert.equal((await oauth(emu, '/oauth2/tokens/introspect', { token }, watcher)).json.active, true);
      }
      assert.equal((await call(emu, 'DELETE', `/oauth2/clients/${client.id}`)).status, 204);
      assert.equal((await oauth(emu, '/oauth2/tokens', { grant_type: 'client_credentials' }, client)).status, 401);
      for (const token of [access_token, minted.access_token, minted.refresh_token]) {
        assert.deepEqual((await oauth(emu, '/oauth2/tokens/introspect', { token }, watcher)).json, { active: false });
      }
      assert.equal((await call(emu, 'GET', `/oauth2/clients/${client.id}`)).status, 404);
    });
  });

  describe('mint', () => {
    let jwks: JSONWebKeySet;
    before(async () => {
      const res = await request(`${emu.url}/.well-known/jwks.json`);
      assert.equal(res.statusCode, 200);
      jwks = (await res.body.json()) as JSONWebKeySet;
    });

    it('mints an access token whose payload is exactly the documented one, verifiable with the JWKS', async () => {
      const client = await createClient(emu, ROOT, { access_token_duration: 600 });
      const res = await call(emu, 'POST', '/oauth2/tokens/mint', {
        body: { person_id: ALICE, client_id: client.id, scopes: [], custom_claims: { foo: 'bar', baz: { everything: 42 } } },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(Object.keys(res.json.result), ['access_token']);
      const token: string = res.json.result.access_token;
      const header = decodeProtectedHeader(token);
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, jwks.keys[0].kid);
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: emu.url, algorithms: ['RS256'] });
      assert.deepEqual(Object.keys(payload), [
        'authenticated_methods',
        'baz',
        'exp',
        'first_token',
        'foo',
        'iat',
        'iss',
        'jti',
        'oid',
        'person_id',
      ]);
      assert.deepEqual(payload, {
        authenticated_methods: ['api'],
        baz: { everything: 42 },
        exp: payload.iat! + 600,
        first_token: false,
        foo: 'bar',
        iat: payload.iat,
        iss: emu.url,
        jti: payload.jti,
        oid: ROOT,
        person_id: ALICE,
      });
      assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 10);
      assert.equal(typeof payload.jti, 'string');
    });

    it('adds an ID token for openid and a refresh token for offline_access', async () => {
      const client = await createClient(emu, ROOT);
      const res = await call(emu, 'POST', '/oauth2/tokens/mint', {
        body: { person_id: BOB, client_id: client.id, scopes: ['openid', 'offline_access'], custom_claims: {} },
      });
      assert.equal(res.status, 200);
      const { access_token, id_token, refresh_token } = res.json.result;
      assert.match(refresh_token, /^sid_rt_[A-Za-z0-9_-]{43}$/);
      const { payload } = await jwtVerify(id_token, createLocalJWKSet(jwks), { issuer: emu.url, audience: client.id });
      assert.equal(payload.sub, BOB);
      assert.equal(payload.oid, ROOT);
      assert.equal(payload.exp! - payload.iat!, 86400);
      assert.ok(decodeJwt(access_token).jti !== payload.jti);
    });

    it('rejects each of the 36 reserved claims, non-object claims and __proto__ with 400', async () => {
      const client = await createClient(emu, ROOT);
      assert.equal(RESERVED_CLAIMS.length, 36);
      for (const name of RESERVED_CLAIMS) {
        const res = await call(emu, 'POST', '/oauth2/tokens/mint', {
          body: { person_id: ALICE, client_id: client.id, custom_claims: { [name]: 1 } },
        });
        assert.equal(res.status, 400, name);
        assert.ok(res.json.errors[0].message.includes(name));
      }
      for (const claims of [[1, 2], 'x', 42, null, true]) {
        assert.equal(
          (await call(emu, 'POST', '/oauth2/tokens/mint', { body: { person_id: ALICE, client_id: client.id, custom_claims: claims } }))
            .status,
          400,
        );
      }
      const proto = await request(`${emu.url}/oauth2/tokens/mint`, {
        method: 'POST',
        headers: { 'SlashID-OrgID': ROOT, 'SlashID-API-Key': 'root-admin-key', 'Content-Type': 'application/json' },
        body: `{"person_id":"${ALICE}","client_id":"${client.id}","custom_claims":{"__proto__":{"admin":true}}}`,
      });
      assert.equal(proto.statusCode, 400);
      await proto.body.dump();
      // Near misses are ordinary claims: exact, case-sensitive matching.
      const ok = await call(emu, 'POST', '/oauth2/tokens/mint', {
        body: { person_id: ALICE, client_id: client.id, custom_claims: { Exp: 1, 'slashid.io': 2, sid_: 3 } },
      });
      assert.equal(ok.status, 200);
    });

    it('checks the person (404), the client (404/403) and the scopes (400)', async () => {
      const client = await createClient(emu, ROOT, { scopes: ['read'] });
      const mint = (org: string, body: Record<string, unknown>) => call(emu, 'POST', '/oauth2/tokens/mint', { org, body });
      assert.equal((await mint(ROOT, { person_id: CHILD_PERSON, client_id: client.id })).status, 404, 'person of another org');
      assert.equal((await mint(ROOT, { person_id: 'aaaaaaaa-0000-4000-8000-00000000ffff', client_id: client.id })).status, 404);
      assert.equal((await mint(ROOT, { person_id: ALICE, client_id: '00000000-0000-4000-8000-000000000000' })).status, 404);
      assert.equal(
        (await mint(CHILD, { person_id: CHILD_PERSON, client_id: client.id })).status,
        403,
        'a child cannot use its parent’s client',
      );
      const childClient = await createClient(emu, CHILD);
      assert.equal((await mint(ROOT, { person_id: ALICE, client_id: childClient.id })).status, 200, 'a parent can use its child’s client');
      assert.equal((await mint(ROOT, { person_id: ALICE, client_id: client.id, scopes: ['openid'] })).status, 400);
      assert.equal((await mint(ROOT, { client_id: client.id })).status, 400);
      assert.equal(
        (await call(emu, 'POST', '/oauth2/tokens/mint', { key: 'root-member-key', body: { person_id: ALICE, client_id: client.id } }))
          .status,
        200,
        'members may mint',
      );
    });
  });

  describe('SSO logins and OIDC tokens', () => {
    it('returns the provider tokens of a login', async () => {
      const container = await emu.createSsoLogin({ org_id: ROOT, person_id: ALICE, provider: 'google' });
      const res = await call(emu, 'GET', '/sso/oidc/tokens', { headers: { 'SlashID-Token': container } });
      assert.equal(res.status, 200);
      const tokens = res.json.result as Record<string, string>[];
      assert.deepEqual(tokens.map((t) => t.token_type).sort(), ['access', 'id', 'refresh']);
      const authId = tokens[0].authentication_id;
      for (const t of tokens) {
        assert.deepEqual(Object.keys(t).sort(), [
          'authentication_id',
          'client_id',
          'expiry',
          'organization_id',
          'person_id',
          'provider',
          'token',
          'token_type',
        ]);
        assert.equal(t.provider, 'google');
        assert.equal(t.person_id, ALICE);
        assert.equal(t.organization_id, ROOT);
        assert.equal(t.authentication_id, authId);
        assert.ok(Date.parse(t.expiry) > Date.now());
      }
      const idToken = tokens.find((t) => t.token_type === 'id')!;
      const providerKeys = (await (await request(`${emu.url}/__emulator/providers/google/jwks.json`)).body.json()) as JSONWebKeySet;
      const { payload } = await jwtVerify(idToken.token, createLocalJWKSet(providerKeys), { audience: idToken.client_id });
      assert.equal(payload.email, 'alice@example.com');
      // The same container also works without an API key (SlashID documents only the org header here).
      assert.equal((await call(emu, 'GET', '/sso/oidc/tokens', { key: null, headers: { 'SlashID-Token': container } })).status, 200);
    });

    it('answers 400, 401, 403 and 404 as documented', async () => {
      const container = await emu.createSsoLogin({ org_id: ROOT, person_id: ALICE, provider: 'github' });
      const get = (opts: CallOptions) => call(emu, 'GET', '/sso/oidc/tokens', opts);
      assert.equal((await get({})).status, 400, 'no container');
      assert.equal((await get({ headers: { 'SlashID-Token': 'not-a-jwt' } })).status, 400);
      assert.equal((await get({ org: null, headers: { 'SlashID-Token': container } })).status, 400);
      assert.equal((await get({ headers: { 'SlashID-Token': `${container.slice(0, -4)}AAAA` } })).status, 401, 'bad signature');
      const expired = await emu.createSsoLogin({ org_id: ROOT, person_id: ALICE, provider: 'github', expires_in: -60 });
      assert.equal((await get({ headers: { 'SlashID-Token': expired } })).status, 401, 'expired');
      assert.equal((await get({ org: OTHER, headers: { 'SlashID-Token': container } })).status, 403);
      assert.equal((await get({ key: 'wrong', headers: { 'SlashID-Token': container } })).status, 401);
      const client = await createClient(emu, ROOT);
      const minted = (await call(emu, 'POST', '/oauth2/tokens/mint', { body: { person_id: ALICE, client_id: client.id } })).json.result
        .access_token;
      assert.equal((await get({ headers: { 'SlashID-Token': minted } })).status, 401, 'a SlashID JWT that is no SSO token container');
    });

    it('creates logins over HTTP too and validates their input', async () => {
      const post = (body: unknown) => call(emu, 'POST', '/__emulator/sso-logins', { org: ROOT, body });
      const ok = await post({ org_id: ROOT, person_id: BOB, provider: 'okta' });
      assert.equal(ok.status, 201);
      assert.equal(decodeJwt(ok.json.result.token).oid, ROOT);
      assert.equal((await post({ org_id: ROOT, person_id: BOB, provider: 'myspace' })).status, 400);
      assert.equal((await post({ org_id: ROOT, person_id: CHILD_PERSON, provider: 'okta' })).status, 404);
      assert.equal((await post({ org_id: ROOT })).status, 400);
      assert.equal(
        (
          await call(emu, 'POST', '/__emulator/sso-logins', {
            org: ROOT,
            key: null,
            body: { org_id: ROOT, person_id: BOB, provider: 'okta' },
          })
        ).status,
        401,
      );
      await assert.rejects(emu.createSsoLogin({ org_id: OTHER, person_id: ALICE, provider: 'google' }), /No person/);
    });
  });

  describe('persons, sub-organizations, discovery', () => {
    it('pages and filters (SCIM) persons of the header org', async () => {
      const all = await call(emu, 'GET', '/persons');
      assert.equal(all.status, 200);
      assert.deepEqual(all.json.meta.pagination, { limit: 100, offset: 0, total_count: 2 });
      assert.deepEqual(all.json.result[0], {
        person_id: ALICE,
        active: true,
        person_type: 'regular',
        region: all.json.result[0].region,
        handles: [{ type: 'email_address', value: 'alice@example.com' }],
      });
      const page = await call(emu, 'GET', '/persons?limit=1&offset=1');
      assert.deepEqual(
        page.json.result.map((p: { person_id: string }) => p.person_id),
        [BOB],
      );
      assert.deepEqual(page.json.meta.pagination, { limit: 1, offset: 1, total_count: 2 });
      // The filter is SCIM 2.0 (the spec), not free text.
      const filtered = await call(emu, 'GET', `/persons?filter=${encodeURIComponent('handles eq "email_address:BOB@example.org"')}`);
      assert.deepEqual(
        filtered.json.result.map((p: { person_id: string }) => p.person_id),
        [BOB],
      );
      const byId = await call(emu, 'GET', `/persons?filter=${encodeURIComponent(`person_id eq "${ALICE}"`)}`);
      assert.deepEqual(
        byId.json.result.map((p: { person_id: string }) => p.person_id),
        [ALICE],
      );
      assert.equal((await call(emu, 'GET', '/persons?filter=EXAMPLE.ORG')).status, 400, 'free text is not a SCIM filter');
      for (const q of ['limit=0', 'limit=1001', 'limit=x', 'offset=-1']) {
        assert.equal((await call(emu, 'GET', `/persons?${q}`)).status, 400, q);
      }
      assert.equal((await call(emu, 'GET', '/persons?limit=1000')).status, 200);
    });

    it('lists every descendant org', async () => {
      const res = await call(emu, 'GET', '/organizations/suborganizations');
      assert.deepEqual(res.json.result.sort(), [CHILD, GRANDCHILD].sort());
      assert.deepEqual((await call(emu, 'GET', '/organizations/suborganizations', { org: CHILD })).json.result, [GRANDCHILD]);
      assert.deepEqual((await call(emu, 'GET', '/organizations/suborganizations', { org: OTHER })).json.result, []);
    });

    it('serves JWKS and discovery without an API key', async () => {
      const jwks = await call(emu, 'GET', '/.well-known/jwks.json', { org: null });
      assert.equal(jwks.status, 200);
      const [key] = jwks.json.keys;
      assert.equal(key.kty, 'RSA');
      assert.equal(key.alg, 'RS256');
      assert.equal(key.use, 'sig');
      assert.equal(typeof key.kid, 'string');
      assert.equal(key.d, undefined, 'no private part');
      const config = await call(emu, 'GET', '/.well-known/openid-configuration', { org: null });
      assert.equal(config.json.issuer, emu.url);
      assert.equal(config.json.jwks_uri, `${emu.url}/.well-known/jwks.json`);
      assert.equal(config.json.token_endpoint, `${emu.url}/oauth2/tokens`);
      assert.equal(config.json.introspection_endpoint, `${emu.url}/oauth2/tokens/introspect`);
    });

    it('answers 404 for unknown paths and 405 for wrong methods', async () => {
      assert.equal((await call(emu, 'GET', '/nope')).status, 404);
      const res = await call(emu, 'PUT', '/oauth2/clients');
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'GET, POST');
    });
  });
});

describe('emulator demo', () => {
  it('starts the demo org with its sub-org, clients of each grant type and persons with email handles', async () => {
    const emu = await startEmulator({ demoApiKey: 'demo-key' });
    try {
      const demo = emu.demo!;
      assert.equal(demo.orgId, 'af5fbd30-7ce7-4548-8b30-4cd59cb2aba1');
      assert.equal(demo.apiKey, 'demo-key');
      const headers = { 'SlashID-OrgID': demo.orgId, 'SlashID-API-Key': demo.apiKey };
      const clients = (await (await request(`${emu.url}/oauth2/clients`, { headers })).body.json()) as {
        result: { client_id: string; grant_types: string[] }[];
      };
      assert.deepEqual(clients.result.map((c) => c.client_id).sort(), [...demo.clientIds].sort());
      const grants = new Set(clients.result.map((c) => c.grant_types.join('+')));
      assert.ok(
        grants.has('client_credentials') && grants.has('authorization_code') && grants.has('client_credentials+authorization_code'),
      );
      const persons = (await (await request(`${emu.url}/persons`, { headers })).body.json()) as {
        result: { person_id: string; handles: { type: string }[] }[];
      };
      assert.deepEqual(persons.result.map((p) => p.person_id).sort(), [...demo.personIds].sort());
      assert.ok(persons.result.every((p) => p.handles.some((h) => h.type === 'email_address')));
      const subs = (await (await request(`${emu.url}/organizations/suborganizations`, { headers })).body.json()) as { result: string[] };
      assert.deepEqual(subs.result, [demo.subOrgId]);
      const described = (await (
        await request(`${emu.url}/__emulator/demo`, { headers: { 'SlashID-Emulator-Key': emu.controlKey! } })
      ).body.json()) as {
        result: { org_id: string; api_key: string };
      };
      assert.deepEqual([described.result.org_id, described.result.api_key], [demo.orgId, demo.apiKey]);
    } finally {
      await emu.close();
    }
  });

  it('has no demo when seeded, and a random demo key by default', async () => {
    const seeded = await startEmulator({ seed: SEED });
    assert.equal(seeded.demo, undefined);
    assert.equal(
      (await request(`${seeded.url}/__emulator/demo`, { headers: { 'SlashID-Emulator-Key': seeded.controlKey! } })).statusCode,
      404,
    );
    await seeded.close();
    const demo = await startEmulator();
    assert.match(demo.demo!.apiKey, /^emu_[0-9a-f]{48}$/);
    await demo.close();
  });
});
