import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { request as undiciRequest } from 'undici';
import { startEmulator, type Emulator } from '../../emulator/index';
import { SlashIdClient, type RequestLogEntry, type SlashIdClientOptions } from '../../src/slashid/client';
import {
  MalformedResponseError,
  NetworkError,
  OAuthError,
  RequestValidationError,
  SchemaError,
  SlashIdApiError,
  TimeoutError,
  describeError,
} from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { OPAQUE_TOKEN_PATTERN } from '../../src/slashid/contract';
import {
  CANARY_KEY,
  CHILD,
  CHILD_CLIENT,
  CHILD_KEY,
  MEMBER_KEY,
  OTHER_CLIENT,
  PERSON,
  PERSON_CHILD,
  ROOT,
  ROOT_CLIENT,
  ROOT_CLIENT_SECRET,
  seed,
} from './slashidFixture';

/**
 * The API core against the real emulator over loopback HTTP: every operation, every error status, every
 * fault. Backoff waits go through a recording `sleep` that resolves at once.
 */

describe('SlashIdClient against the emulator', function () {
  let emu: Emulator;
  let pools: PoolRegistry;
  let slept: number[];
  let logs: RequestLogEntry[];

  function client(overrides: Partial<SlashIdClientOptions> = {}): SlashIdClient {
    return new SlashIdClient({
      baseUrl: emu.url,
      orgId: ROOT,
      apiKey: () => CANARY_KEY,
      pools,
      log: (e) => logs.push(e),
      ...overrides,
      retry: {
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
        ...overrides.retry,
      },
    });
  }

  function countRequests(route: string): number {
    return emu.requests.filter((r) => r.route === route).length;
  }

  async function rejects<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof type, `expected ${type.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      return err;
    }
    assert.fail(`expected ${type.name}, but it resolved`);
  }

  before(async () => {
    emu = await startEmulator({ seed: seed(), demo: false });
    pools = new PoolRegistry();
  });
  after(async () => {
    await pools.close();
    await emu.close();
  });
  beforeEach(() => {
    emu.faults.clear();
    emu.requests.length = 0;
    slept = [];
    logs = [];
  });

  describe('success paths', () => {
    it('lists the clients of the header org only', async () => {
      const list = await client().listClients();
      const ids = list.map((c) => c.client_id);
      assert.ok(ids.includes(ROOT_CLIENT));
      assert.ok(!ids.includes(CHILD_CLIENT), 'sub-org clients are not listed');
      assert.ok(!ids.includes(OTHER_CLIENT));
      const root = list.find((c) => c.client_id === ROOT_CLIENT)!;
      assert.equal(root.client_name, 'Root service');
      assert.deepEqual(root.grant_types, ['client_credentials']);
      assert.equal(root.public, false);
      assert.deepEqual(
        logs.map((l) => [l.method, l.path, l.status, l.attempt]),
        [['GET', '/oauth2/clients', 200, 1]],
      );
    });

    it('gets a client, also one of a sub-org (the header org is its parent)', async () => {
      assert.equal((await client().getClient(ROOT_CLIENT)).client_id, ROOT_CLIENT);
      assert.equal((await client().getClient(CHILD_CLIENT)).client_name, 'Child service');
    });

    it('creates, updates, rotates and deletes a client', async () => {
      const api = client();
      const created = await api.createClient({
        client_name: 'Created in test',
        scopes: ['read', 'write'],
        grant_types: ['client_credentials', 'authorization_code'],
        redirect_uris: ['https://app.example.com/cb'],
        access_token_duration: 600,
      });
      assert.ok(created.client_secret, 'the secret comes once, on create');
      assert.equal(created.access_token_duration, 600);
      assert.deepEqual(created.scopes, ['read', 'write']);

      const token = await api.getClientCredentialsToken(created.client_id, created.client_secret, ['read']);
      assert.match(token.access_token, OPAQUE_TOKEN_PATTERN);

      const updated = await api.updateClient(created.client_id, { client_name: 'Renamed', scopes: ['read'] });
      assert.equal(updated.client_name, 'Renamed');
      assert.deepEqual(updated.scopes, ['read']);

      const rotated = await api.rotateClientSecret(created.client_id);
      assert.notEqual(rotated.client_secret, created.client_secret);
      await rejects(api.getClientCredentialsToken(created.client_id, created.client_secret), OAuthError);
      await api.getClientCredentialsToken(created.client_id, rotated.client_secret);

      await api.deleteClient(created.client_id);
      const err = await rejects(api.getClient(created.client_id), SlashIdApiError);
      assert.equal(err.status, 404);
    });

    it('sends SlashID-Required-Consistency on writes when asked', async () => {
      const api = client({ requiredConsistency: 'all_regions' });
      const created = await api.createClient({ client_name: 'Consistent', scopes: [], grant_types: ['client_credentials'] });
      assert.equal(api.lastRequest?.headers['SlashID-Required-Consistency'], 'all_regions');
      await api.deleteClient(created.client_id);
      await api.listClients();
      assert.equal(api.lastRequest?.headers['SlashID-Required-Consistency'], undefined, 'not on reads');
    });

    it('gets a client-credentials token and introspects it', async () => {
      const api = client();
      const token = await api.getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, ['read']);
      assert.equal(token.token_type.toLowerCase(), 'bearer');
      assert.ok(token.expires_in > 0);
      assert.equal(token.scope, 'read');
      const info = await api.introspectToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, token.access_token, 'access_token');
      assert.equal(info.active, true);
      assert.equal(info.client_id, ROOT_CLIENT);
      const none = await api.introspectToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, 'sid_at_' + 'A'.repeat(43));
      assert.equal(none.active, false);
    });

    it('mints tokens with custom claims', async () => {
      const result = await client().mintTokens({
        person_id: PERSON,
        client_id: ROOT_CLIENT,
        scopes: ['openid', 'offline_access'],
        custom_claims: { team: 'blue' },
      });
      assert.equal(result.access_token.split('.').length, 3);
      assert.ok(result.id_token);
      assert.match(result.refresh_token ?? '', OPAQUE_TOKEN_PATTERN);
      const payload = JSON.parse(Buffer.from(result.access_token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
      assert.equal(payload.team, 'blue');
      assert.equal(payload.iss, emu.url);
    });

    it('fetches the OIDC tokens of an SSO login', async () => {
      const container = await emu.createSsoLogin({ org_id: ROOT, person_id: PERSON, provider: 'google' });
      const tokens = await client().getOidcTokens(container);
      assert.ok(tokens.length > 0);
      assert.ok(tokens.every((t) => t.person_id === PERSON && t.provider === 'google'));
      assert.ok(!JSON.stringify(client().lastRequest ?? {}).includes(container));
    });

    it('lists persons with limit, offset and filter', async () => {
      const all = await client().listPersons();
      assert.deepEqual(
        all.map((p) => p.person_id),
        [PERSON],
      );
      // The filter is SCIM 2.0 (the spec; the emulator follows it since issue 12).
      const filtered = await client().listPersons({ filter: 'handles eq "email_address:ALICE@example.com"', limit: 10, offset: 0 });
      assert.equal(filtered[0].handles?.[0].value, 'alice@example.com');
      assert.deepEqual(await client().listPersons({ filter: 'handles eq "email_address:nobody@example.com"' }), []);
      assert.deepEqual(
        (await client().searchPersons('alice@example.com')).map((p) => p.person_id),
        [PERSON],
      );
    });

    it('lists sub-organizations; withOrg() talks to a sub-org with the same key getter', async () => {
      assert.deepEqual(await client().listSubOrganizations(), [CHILD]);
      const child = client().withOrg(CHILD);
      assert.equal(child.orgId, CHILD);
      const ids = (await child.listClients()).map((c) => c.client_id);
      assert.deepEqual(ids, [CHILD_CLIENT]);
      assert.deepEqual(
        (await child.listPersons()).map((p) => p.person_id),
        [PERSON_CHILD],
      );
    });

    it('fetches the JWKS and the discovery document without sending the API key', async () => {
      const api = client();
      const jwks = await api.getJwks();
      assert.ok(jwks.keys.length >= 1);
      assert.ok(jwks.keys[0].kid);
      assert.equal(api.lastRequest?.headers['SlashID-API-Key'], undefined);
      const discovery = await api.getDiscovery();
      assert.equal(discovery.issuer, emu.url);
      assert.ok(discovery.jwks_uri.endsWith('/.well-known/jwks.json'));
    });

    it('reuses one keep-alive pool per origin', async () => {
      const a = client();
      const b = client().withOrg(CHILD);
      await Promise.all([a.listClients(), b.listClients()]);
      assert.equal(pools.size, 1);
    });
  });

  describe('error statuses', () => {
    it('400 when the org header is missing (raw request), and through the client with an empty org', async () => {
      const raw = await undiciRequest(`${emu.url}/oauth2/clients`, { headers: { 'SlashID-API-Key': CANARY_KEY } });
      assert.equal(raw.statusCode, 400);
      await raw.body.dump();
      const err = await rejects(client({ orgId: '' }).listClients(), SlashIdApiError);
      assert.equal(err.status, 400);
      assert.match(err.messages[0], /SlashID-OrgID/);
      assert.match(describeError(err), /^Listing clients failed: SlashID rejected the request \(400: /);
    });

    it('400 from the server: a public client with the client-credentials grant', async () => {
      const err = await rejects(
        client().createClient({ client_name: 'x', scopes: [], grant_types: ['client_credentials'], public: true }),
        SlashIdApiError,
      );
      assert.equal(err.status, 400);
      assert.equal(countRequests('POST /oauth2/clients'), 1);
    });

    it('400 from the server on mint: a scope the client does not allow', async () => {
      const err = await rejects(client().mintTokens({ person_id: PERSON, client_id: ROOT_CLIENT, scopes: ['admin'] }), SlashIdApiError);
      assert.equal(err.status, 400);
      assert.match(describeError(err), /^Minting tokens failed: SlashID rejected the request \(400: Invalid scopes/);
    });

    it('401 for a wrong key', async () => {
      const err = await rejects(client({ apiKey: () => 'wrong-key' }).listClients(), SlashIdApiError);
      assert.equal(err.status, 401);
      assert.equal(err.context?.operation, 'listClients');
      assert.match(
        describeError(err),
        /^Listing clients failed: the API key was rejected \(401: .+\)\. Replace the key with 'SlashID: Replace API Key'\.$/,
      );
    });

    it('403 when the header org is a child of the owner, or unrelated', async () => {
      const fromChild = client({ orgId: CHILD, apiKey: () => CHILD_KEY });
      const err = await rejects(fromChild.getClient(ROOT_CLIENT), SlashIdApiError);
      assert.equal(err.status, 403);
      assert.match(describeError(err), /must own the client or be a parent of its owner/);
      const err2 = await rejects(client().getClient(OTHER_CLIENT), SlashIdApiError);
      assert.equal(err2.status, 403);
    });

    it('403 for writes with a member key (reads are fine)', async () => {
      const member = client({ apiKey: () => MEMBER_KEY });
      assert.ok((await member.listClients()).length > 0);
      const err = await rejects(
        member.createClient({ client_name: 'nope', scopes: [], grant_types: ['client_credentials'] }),
        SlashIdApiError,
      );
      assert.equal(err.status, 403);
      assert.match(describeError(err), /admin API key/);
      const err2 = await rejects(member.rotateClientSecret(ROOT_CLIENT), SlashIdApiError);
      assert.equal(err2.status, 403);
      assert.match(describeError(err2), /admin API key/);
    });

    it('404 for an unknown client', async () => {
      const id = randomUUID();
      const err = await rejects(client().getClient(id), SlashIdApiError);
      assert.equal(err.status, 404);
      assert.match(
        describeError(err),
        new RegExp(
          `^Getting client ${id} failed: the client was not found \\(404: .+\\)\\. It may have been deleted; refresh the list\\.$`,
        ),
      );
      await rejects(client().deleteClient(id), SlashIdApiError);
    });

    it('OAuthError for a wrong client secret (401 invalid_client)', async () => {
      const err = await rejects(client().getClientCredentialsToken(ROOT_CLIENT, 'wrong-secret-value'), OAuthError);
      assert.equal(err.status, 401);
      assert.equal(err.error, 'invalid_client');
      assert.match(describeError(err), /rejected the client credentials/);
    });

    it('OIDC tokens: 401 for an expired container, 403 for another org', async () => {
      const expired = await emu.createSsoLogin({ org_id: ROOT, person_id: PERSON, provider: 'github', expires_in: -60 });
      const e1 = await rejects(client().getOidcTokens(expired), SlashIdApiError);
      assert.equal(e1.status, 401);
      assert.match(describeError(e1), /token container was rejected/);
      const childLogin = await emu.createSsoLogin({ org_id: CHILD, person_id: PERSON_CHILD, provider: 'okta' });
      const e2 = await rejects(client().getOidcTokens(childLogin), SlashIdApiError);
      assert.equal(e2.status, 403);
      for (const e of [e1, e2]) {
        assert.ok(!describeError(e).includes(expired) && !describeError(e).includes(childLogin));
      }
    });
  });

  describe('request validation (nothing is sent)', () => {
    it('rejects bad create bodies before any request', async () => {
      const api = client();
      const err = await rejects(
        api.createClient({
          client_name: ' ',
          scopes: ['ok', 'has space', ''],
          grant_types: ['password' as 'client_credentials'],
          redirect_uris: ['/relative'],
          access_token_duration: -1,
        }),
        RequestValidationError,
      );
      const fields = err.problems.map((p) => p.field);
      assert.deepEqual(fields, ['client_name', 'scopes[1]', 'scopes[2]', 'grant_types[0]', 'redirect_uris[0]', 'access_token_duration']);
      assert.equal(emu.requests.length, 0);
      assert.match(describeError(err), /^Creating the client was not sent: the request is invalid \(client_name must not be empty; /);

      const noUri = await rejects(
        api.createClient({ client_name: 'a', scopes: [], grant_types: ['authorization_code'] }),
        RequestValidationError,
      );
      assert.deepEqual(
        noUri.problems.map((p) => p.field),
        ['redirect_uris'],
      );
      const noGrant = await rejects(api.createClient({ client_name: 'a', scopes: [], grant_types: [] }), RequestValidationError);
      assert.deepEqual(
        noGrant.problems.map((p) => p.field),
        ['grant_types'],
      );
      assert.equal(emu.requests.length, 0);
    });

    it('rejects an empty or bad update', async () => {
      const api = client();
      const empty = await rejects(api.updateClient(ROOT_CLIENT, {}), RequestValidationError);
      assert.equal(empty.problems[0].field, '(body)');
      const bad = await rejects(
        api.updateClient(ROOT_CLIENT, { refresh_token_duration: 1.5, redirect_uris: ['javascript:alert(1)'] }),
        RequestValidationError,
      );
      assert.deepEqual(
        bad.problems.map((p) => p.field),
        ['redirect_uris[0]', 'refresh_token_duration'],
      );
      assert.equal(emu.requests.length, 0);
    });

    it('rejects a bad mint (missing IDs, non-object or reserved custom claims)', async () => {
      const api = client();
      const err = await rejects(
        api.mintTokens({ person_id: '', client_id: ROOT_CLIENT, custom_claims: [] as unknown as Record<string, unknown> }),
        RequestValidationError,
      );
      assert.deepEqual(
        err.problems.map((p) => p.field),
        ['person_id', 'custom_claims'],
      );
      const reserved = await rejects(
        api.mintTokens({ person_id: PERSON, client_id: ROOT_CLIENT, custom_claims: { sub: 'x', ok: 1 } }),
        RequestValidationError,
      );
      assert.deepEqual(
        reserved.problems.map((p) => p.field),
        ['custom_claims.sub'],
      );
      const proto = await rejects(
        api.mintTokens({
          person_id: PERSON,
          client_id: ROOT_CLIENT,
          custom_claims: JSON.parse('{"a":{"__proto__":{}}}') as Record<string, unknown>,
        }),
        RequestValidationError,
      );
      assert.deepEqual(
        proto.problems.map((p) => p.field),
        ['custom_claims.__proto__'],
      );
      await rejects(api.listPersons({ limit: 1001 }), RequestValidationError);
      await rejects(api.getClient(''), RequestValidationError);
      await rejects(api.getClientCredentialsToken(ROOT_CLIENT, ''), RequestValidationError);
      assert.equal(emu.requests.length, 0);
    });
  });

  describe('faults', () => {
    it('times out with a TimeoutError; a read is retried and then succeeds', async () => {
      emu.faults.set('GET /oauth2/clients', { delayMs: 400, times: 1 });
      const list = await client({ timeoutMs: 100 }).listClients();
      assert.ok(list.length > 0);
      assert.deepEqual(
        logs.map((l) => l.error ?? l.status),
        ['timeout', 200],
      );
    });

    it('a read that always times out fails after the bounded attempts', async () => {
      emu.faults.set('GET /oauth2/clients/:id', { delayMs: 300 });
      const err = await rejects(client({ timeoutMs: 80 }).getClient(ROOT_CLIENT), TimeoutError);
      assert.equal(err.timeoutMs, 80);
      assert.equal(err.context?.attempts, 3);
      assert.equal(slept.length, 2);
      assert.match(
        describeError(err),
        /^Getting client .+ failed: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.1 s \(tried 3 times\)\. Check your network, or check the 'slashid\.requestTimeout' setting\.$/,
      );
    });

    it('a write that times out is not replayed', async () => {
      emu.faults.set('PUT /oauth2/clients/:id/secret', { delayMs: 300 });
      await rejects(client({ timeoutMs: 80 }).rotateClientSecret(CHILD_CLIENT), TimeoutError);
      await new Promise((resolve) => setTimeout(resolve, 350)); // the emulator records it when its delay ends
      assert.equal(countRequests('PUT /oauth2/clients/:id/secret'), 1);
    });

    it('the default timeout is 15 s and the message says to raise the setting', () => {
      const err = new TimeoutError(15_000, { operation: 'listClients', baseUrl: 'https://api.slashid.com' });
      assert.equal(
        describeError(err),
        "Listing clients failed: no answer from https://api.slashid.com within 15 s. Check your network, or raise the 'slashid.requestTimeout' setting.",
      );
    });

    it('429 with Retry-After is honoured, then succeeds', async () => {
      emu.faults.set('GET /oauth2/clients', { status: 429, retryAfter: 2, times: 1 });
      await client().listClients();
      assert.deepEqual(slept, [2000]);
      assert.equal(countRequests('GET /oauth2/clients'), 2);
    });

    it('a Retry-After longer than the cap fails at once, saying when to retry', async () => {
      emu.faults.set('GET /oauth2/clients', { status: 503, retryAfter: 120 });
      const err = await rejects(client().listClients(), SlashIdApiError);
      assert.equal(countRequests('GET /oauth2/clients'), 1);
      assert.deepEqual(slept, []);
      assert.ok(err.retryAt && err.retryAt.getTime() > Date.now() + 100_000);
      assert.match(
        describeError(err),
        /server error \(503: .+\)\. It asked to wait until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(about 1[12]\d s\); try again then\.$/,
      );
    });

    for (const status of [502, 503, 504]) {
      it(`${status} on a read is retried with backoff, then succeeds`, async () => {
        emu.faults.set('GET /organizations/suborganizations', { status, times: 2 });
        assert.deepEqual(await client().listSubOrganizations(), [CHILD]);
        assert.equal(countRequests('GET /organizations/suborganizations'), 3);
        assert.deepEqual(slept, [150, 300], 'base 200 ms doubling, equal jitter at random 0.5');
        assert.deepEqual(
          logs.map((l) => l.attempt),
          [1, 2, 3],
        );
      });
    }

    it('backoff is capped', async () => {
      emu.faults.set('GET /oauth2/clients', { status: 502, times: 3 });
      await client({ retry: { attempts: 4, baseDelayMs: 3000, maxDelayMs: 5000 } }).listClients();
      assert.deepEqual(slept, [2250, 3750, 3750]);
    });

    it('502 on every attempt fails with the attempts counted', async () => {
      emu.faults.set('GET /oauth2/clients', { status: 502 });
      const err = await rejects(client().listClients(), SlashIdApiError);
      assert.equal(err.status, 502);
      assert.equal(countRequests('GET /oauth2/clients'), 3);
      assert.match(
        describeError(err),
        /^Listing clients failed: SlashID had a server error \(502: .+\) \(tried 3 times\)\. Try again in a moment\.$/,
      );
    });

    it('500 is not retried', async () => {
      emu.faults.set('GET /oauth2/clients', { status: 500, times: 1 });
      const err = await rejects(client().listClients(), SlashIdApiError);
      assert.equal(err.status, 500);
      assert.equal(countRequests('GET /oauth2/clients'), 1);
    });

    it('a write is never replayed: POST with 503 is sent exactly once', async () => {
      emu.faults.set('POST /oauth2/clients', { status: 503, times: 1 });
      const err = await rejects(
        client().createClient({ client_name: 'once', scopes: [], grant_types: ['client_credentials'] }),
        SlashIdApiError,
      );
      assert.equal(err.status, 503);
      assert.equal(countRequests('POST /oauth2/clients'), 1);
      assert.deepEqual(slept, []);
      emu.faults.set('POST /oauth2/tokens', { status: 429, retryAfter: 1 });
      await rejects(client().getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET), SlashIdApiError);
      assert.equal(countRequests('POST /oauth2/tokens'), 1);
    });

    it('a dropped connection is a NetworkError, and a read is retried', async () => {
      emu.faults.set('GET /oauth2/clients', { drop: true, times: 1 });
      await client().listClients();
      assert.equal(countRequests('GET /oauth2/clients'), 2);
      assert.equal(logs[0].status, undefined);
      assert.ok(logs[0].error);

      emu.faults.set('GET /persons', { drop: true });
      const err = await rejects(client().listPersons(), NetworkError);
      assert.equal(err.context?.attempts, 3);
      assert.match(
        describeError(err),
        /^Listing persons failed: cannot reach http:\/\/127\.0\.0\.1:\d+ \(\w+: .+\) \(tried 3 times\)\. Check the base URL and your network connection\.$/,
      );
    });

    it('a dropped write is not replayed', async () => {
      emu.faults.set('PATCH /oauth2/clients/:id', { drop: true });
      await rejects(client().updateClient(CHILD_CLIENT, { client_name: 'x' }), NetworkError);
      assert.equal(countRequests('PATCH /oauth2/clients/:id'), 1);
    });

    it('a refused connection is a NetworkError ECONNREFUSED', async () => {
      const port = await new Promise<number>((resolve) => {
        const srv = createServer();
        srv.listen(0, '127.0.0.1', () => {
          const p = (srv.address() as { port: number }).port;
          srv.close(() => resolve(p));
        });
      });
      const err = await rejects(client({ baseUrl: `http://127.0.0.1:${port}` }).listClients(), NetworkError);
      assert.equal(err.code, 'ECONNREFUSED');
      assert.equal(slept.length, 2);
      assert.match(
        describeError(err),
        new RegExp(
          `cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED: the connection was refused: nothing is listening there\\)`,
        ),
      );
    });

    it('a truncated body is a MalformedResponseError (not retried)', async () => {
      emu.faults.set('GET /oauth2/clients', { malformed: 'truncated', times: 1 });
      const err = await rejects(client().listClients(), MalformedResponseError);
      assert.equal(err.kind, 'truncated');
      assert.equal(countRequests('GET /oauth2/clients'), 1);
      assert.match(
        describeError(err),
        /^Listing clients failed: the answer is not valid JSON: it ends too early \(truncated\) \(HTTP 200 from /,
      );
    });

    it('an HTML body is a MalformedResponseError not-json', async () => {
      emu.faults.set('GET /.well-known/jwks.json', { malformed: 'not-json', times: 1 });
      const err = await rejects(client().getJwks(), MalformedResponseError);
      assert.equal(err.kind, 'not-json');
      assert.match(describeError(err), /the answer is not valid JSON \(content type text\/html\)/);
    });

    it('a body of the wrong shape is a SchemaError naming the field', async () => {
      emu.faults.set('GET /oauth2/clients', { malformed: 'schema', times: 1 });
      const err = await rejects(client().listClients(), SchemaError);
      assert.equal(err.field, 'result');
      assert.equal(err.expectation, 'expected array, got an object');
      assert.match(
        describeError(err),
        /^Listing clients failed: the answer from .+ does not have the expected shape \(field result: expected array, got an object\)\./,
      );

      emu.faults.set('POST /oauth2/tokens', { malformed: 'schema', times: 1 });
      const err2 = await rejects(client().getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET), SchemaError);
      assert.equal(err2.field, '(root)');
    });

    it('checks every field of every listed client: one broken field anywhere names it', async () => {
      for (const field of ['scopes', 'redirect_uris', 'client_name', 'public', 'last_used']) {
        emu.faults.set('GET /oauth2/clients', { malformed: 'field', field, times: 1 });
        const err = await rejects(client().listClients(), SchemaError);
        assert.equal(err.field, `result[0].${field}`);
        assert.match(err.expectation, /^expected .+, got an integer$/, `${field}: ${err.expectation}`);
        assert.match(
          describeError(err),
          new RegExp(
            `^Listing clients failed: the answer from .+ does not have the expected shape \\(field result\\[0\\]\\.${field}: expected`,
          ),
        );
      }
      // A number is what a token lifetime is: the list is fine.
      emu.faults.set('GET /oauth2/clients', { malformed: 'field', field: 'refresh_token_duration', times: 1 });
      assert.ok((await client().listClients()).length > 0);
    });

    it('a listed client is the JSON as the API sent it, fields the schema does not name included', async () => {
      emu.faults.set('GET /oauth2/clients', { malformed: 'field', field: 'added_by_a_newer_api', times: 1 });
      const [first] = await client().listClients();
      assert.equal((first as Record<string, unknown>).added_by_a_newer_api, 42);
      assert.equal(typeof first.created_at, 'string');
      assert.ok(Array.isArray(first.response_types));
    });

    it('a fault on a write with a malformed body: the write happened once, the error says so', async () => {
      emu.faults.set('PUT /oauth2/clients/:id/secret', { malformed: 'truncated', times: 1 });
      await rejects(client().rotateClientSecret(CHILD_CLIENT), MalformedResponseError);
      assert.equal(countRequests('PUT /oauth2/clients/:id/secret'), 1);
    });
  });

  describe('lastRequest and logs', () => {
    it('records the last request with secrets redacted', async () => {
      const api = client();
      await api.getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, ['read']);
      const last = api.lastRequest!;
      assert.equal(last.method, 'POST');
      assert.equal(last.url, `${emu.url}/oauth2/tokens`);
      assert.equal(last.basicAuthUser, ROOT_CLIENT);
      assert.equal(last.headers.authorization, 'Basic <redacted>');
      assert.deepEqual(last.body, {
        type: 'form',
        fields: [
          ['grant_type', 'client_credentials'],
          ['scope', 'read'],
        ],
      });
      await api.listPersons({ filter: 'person_id eq "x"', limit: 5 });
      assert.equal(api.lastRequest!.url, `${emu.url}/persons?limit=5&filter=person_id+eq+%22x%22`);
      assert.equal(api.lastRequest!.headers['SlashID-API-Key'], '<redacted>');
      const all = JSON.stringify([logs, api.lastRequest]);
      assert.ok(!all.includes(CANARY_KEY) && !all.includes(ROOT_CLIENT_SECRET));
    });
  });
});
