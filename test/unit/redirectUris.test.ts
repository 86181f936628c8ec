/**
 * Issue 19, item 1 and L7: what may be a redirect URI, checked the same way by the emulator and the client.
 * A native app's private-use scheme (RFC 8252 §7.1, the demo's `com.example.mobile:/oauth/callback`) is
 * accepted at registration, at update and at authorization, and the code flow completes through it;
 * a scheme that makes the browser run or show something itself (`javascript:`, `data:`, `vbscript:`,
 * `file:`, `blob:`, in any case) and any URI with whitespace, control or invisible characters (which URL
 * parsers drop: `java\tscript:` parses as `javascript:`) is refused at registration and at authorization.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSeed, startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { SlashIdClient } from '../../src/slashid/client';
import { createPkce, randomUrlSafe } from '../../src/slashid/authorization';
import { authorizationUrl } from '../../src/slashid/authorization';
import { RequestValidationError } from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { validateCreateClient, validateUpdateClient } from '../../src/slashid/requestValidation';
import { checkClientField } from '../../src/clients/clientInput';

const ORG = '0d19a000-0000-4000-8000-000000000001';
const KEY = 'redirect-uris-admin-key';
const ALICE = '0d19a000-0000-4000-8000-0000000000a1';
const MOBILE = '0d19a000-0000-4000-8000-0000000000c1';
const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: KEY }],
  persons: [{ person_id: ALICE, org_id: ORG, handles: [{ type: 'email_address', value: 'alice@example.com' }] }],
  clients: [
    {
      client_id: MOBILE,
      client_name: 'Mobile App',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'profile'],
      redirect_uris: ['https://app.example.com/callback'],
    },
  ],
};

/** Absolute URIs the spec's `format: uri` admits and nothing forbids. */
const ACCEPTED = [
  'com.example.mobile:/oauth/callback',
  'com.example.mobile://oauth/callback',
  'myapp:callback',
  'urn:ietf:wg:oauth:2.0:oob',
  'https://app.example.com/callback',
  'http://127.0.0.1/callback',
  'http://localhost:3000/callback',
];

/** What may never be a redirect URI: the five schemes in any case, and hidden characters that parsers drop. */
const FORBIDDEN = [
  'javascript:alert(1)',
  'JAVASCRIPT:alert(1)',
  'JavaScript:alert(document.domain)//',
  'java\tscript:alert(1)//',
  'java\nscript:alert(1)//',
  'java\rscript:alert(1)//',
  ' javascript:alert(1)',
  '\u0000javascript:alert(1)',
  'javascript\u200b:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'DATA:text/html,x',
  'vbscript:msgbox(1)',
  'VBScript:msgbox(1)',
  'file:///etc/passwd',
  'FILE:///etc/passwd',
  'blob:https://app.example.com/0b6e7c3a',
  'Blob:https://app.example.com/0b6e7c3a',
  'com.example.mobile:/oauth/callback\t',
  'com.example.mobile:/oauth/\u202ecallback',
  'https://app.example.com/call back',
  'https://app.example.com/callback\u00a0',
];

const show = (uri: string) => JSON.stringify(uri);

describe('redirect URIs: private-use schemes accepted, schemes that run in the browser refused (issue 19)', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let pools: PoolRegistry;
  let api: SlashIdClient;

  async function raw(method: 'POST' | 'PATCH', p: string, body: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${emulator.url}${p}`, {
      method,
      headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }

  function authorizeParams(clientId: string, redirectUri: string): URLSearchParams {
    return new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      state: 'st-1',
      code_challenge: createPkce().codeChallenge,
      code_challenge_method: 'S256',
      login_hint: ALICE,
    });
  }

  before(async () => {
    emulator = await startEmulator({ demo: false, seed: SEED });
    pools = new PoolRegistry();
    api = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG, apiKey: () => KEY, pools });
  });
  after(async () => {
    await pools.close();
    await emulator.close();
  });

  it('the client accepts private-use schemes in create, update, the input boxes and the authorization URL', () => {
    for (const uri of ACCEPTED) {
      const body = { client_name: 'App', scopes: ['openid'], grant_types: ['authorization_code'], redirect_uris: [uri] };
      assert.deepEqual(validateCreateClient(body), [], show(uri));
      assert.deepEqual(validateUpdateClient({ redirect_uris: ['https://app.example.com/callback', uri] }), [], show(uri));
      assert.equal(checkClientField('redirect_uris', [uri]), undefined, show(uri));
      const built = authorizationUrl(emulator.url, {
        clientId: MOBILE,
        redirectUri: uri,
        scopes: ['openid'],
        state: 'st',
        codeChallenge: createPkce().codeChallenge,
      });
      assert.ok('url' in built, `${show(uri)}: ${JSON.stringify(built)}`);
      assert.equal(new URL(built.url).searchParams.get('redirect_uri'), uri);
    }
  });

  it('through the emulator: a public client registers com.example.mobile:/oauth/callback, updates it, and exchanges a code sent to it', async () => {
    const custom = 'com.example.mobile:/oauth/callback';
    const created = await api.createClient({
      client_name: 'Native app',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'profile'],
      redirect_uris: [custom],
    });
    assert.deepEqual(created.redirect_uris, [custom]);
    // An update that keeps the custom-scheme URI beside a loopback one (what "Add Redirect URI" sends).
    const updated = await api.updateClient(created.client_id, { redirect_uris: [custom, 'http://127.0.0.1/callback'] });
    assert.deepEqual(updated.redirect_uris, [custom, 'http://127.0.0.1/callback']);
    const seeded = await api.updateClient(MOBILE, { redirect_uris: [custom, 'myapp:callback'] });
    assert.deepEqual(seeded.redirect_uris, [custom, 'myapp:callback']);

    const { codeVerifier, codeChallenge } = createPkce();
    const state = randomUrlSafe(16);
    const url = api.authorizationUrl({
      clientId: created.client_id,
      redirectUri: custom,
      scopes: ['openid', 'profile'],
      state,
      nonce: randomUrlSafe(16),
      codeChallenge,
      loginHint: 'email_address:alice@example.com',
    });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 302, await response.text());
    const location = response.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${custom}?`), location);
    const answer = new URL(location).searchParams;
    assert.equal(answer.get('state'), state);
    const code = answer.get('code');
    assert.ok(code);
    const tokens = await api.exchangeAuthorizationCode({
      client: { clientId: created.client_id },
      code,
      redirectUri: custom,
      codeVerifier,
    });
    assert.ok(tokens.access_token && tokens.id_token);
  });

  it('registration refuses the forbidden schemes and hidden characters: emulator (create, update, seed) and client', async () => {
    for (const uri of FORBIDDEN) {
      const body = { client_name: 'Evil', scopes: ['openid'], grant_types: ['authorization_code' as const], redirect_uris: [uri] };
      const created = await raw('POST', '/oauth2/clients', body);
      assert.equal(created.status, 400, `the emulator registered ${show(uri)}: ${created.text}`);
      assert.match(created.text, /redirect_uris/);
      const patched = await raw('PATCH', `/oauth2/clients/${MOBILE}`, { redirect_uris: ['https://app.example.com/callback', uri] });
      assert.equal(patched.status, 400, `the emulator updated to ${show(uri)}: ${patched.text}`);
      assert.throws(
        () => parseSeed({ ...SEED, clients: [{ ...SEED.clients![0], redirect_uris: [uri] }] }),
        /redirect_uris/,
        `the seed took ${show(uri)}`,
      );

      assert.deepEqual(
        validateCreateClient(body).map((p) => p.field),
        ['redirect_uris[0]'],
        show(uri),
      );
      assert.deepEqual(
        validateUpdateClient({ redirect_uris: ['https://app.example.com/callback', uri] }).map((p) => p.field),
        ['redirect_uris[1]'],
        show(uri),
      );
      assert.ok(checkClientField('redirect_uris', [uri]), `the input box took ${show(uri)}`);
      const before = emulator.requests.length;
      await assert.rejects(api.createClient(body), RequestValidationError);
      await assert.rejects(api.updateClient(MOBILE, { redirect_uris: [uri] }), RequestValidationError);
      assert.equal(emulator.requests.length, before, 'a refused body was sent');
    }
    // The client named in the messages keeps its URIs.
    const mobile = await api.getClient(MOBILE);
    assert.ok(!(mobile.redirect_uris ?? []).some((u) => FORBIDDEN.includes(u)));
  });

  it('authorization refuses them too: the emulator shows an error page (even for a URI an old state file holds), the client builds no URL', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-redirects-'));
    try {
      // A state file written before registration refused these URIs.
      const stateFile = path.join(dir, 'state.json');
      await (await startEmulator({ demo: false, seed: SEED, stateFile })).close();
      const state = JSON.parse(await fs.readFile(stateFile, 'utf8')) as { clients: { client_id: string; redirect_uris: string[] }[] };
      const client = state.clients.find((c) => c.client_id === MOBILE);
      assert.ok(client);
      client.redirect_uris = [...FORBIDDEN];
      await fs.writeFile(stateFile, JSON.stringify(state));
      const old = await startEmulator({ demo: false, stateFile });
      try {
        for (const uri of FORBIDDEN) {
          const res = await fetch(`${old.url}/oauth2/authorize?${authorizeParams(MOBILE, uri).toString()}`, { redirect: 'manual' });
          const text = await res.text();
          assert.equal(res.status, 400, `${show(uri)} was redirected to ${res.headers.get('location')}`);
          assert.equal(res.headers.get('location'), null);
          assert.match(text, /cannot be completed/);
        }
      } finally {
        await old.close();
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    for (const uri of FORBIDDEN) {
      assert.throws(
        () =>
          api.authorizationUrl({
            clientId: MOBILE,
            redirectUri: uri,
            scopes: ['openid'],
            state: 'st',
            codeChallenge: createPkce().codeChallenge,
          }),
        (err: unknown) => err instanceof RequestValidationError && err.problems.some((p) => p.field === 'redirect_uri'),
        `the client built an authorization URL for ${show(uri)}`,
      );
    }
  });
});
