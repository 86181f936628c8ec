/**
 * Issue 12: the API client's new methods against the emulator (which follows the spec), the whole life
 * of a token: authorization URL → sign-in by login_hint → code exchange → userinfo → refresh →
 * revocation → introspection says inactive; a public client; revoke-all; hosted-UI configuration; SSO
 * tokens; the person search's SCIM filters.
 */
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { SlashIdClient, type OAuthClientAuth } from '../../src/slashid/client';
import { createPkce, randomUrlSafe } from '../../src/slashid/authorization';
import { OAuthError, RequestValidationError, SlashIdApiError, describeError } from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';

const ORG = '0c1e0000-0000-4000-8000-000000000001';
const KEY = 'client-flows-admin-key-9e2a';
const ALICE = '0c1e0000-0000-4000-8000-0000000000a1';
const BOB = '0c1e0000-0000-4000-8000-0000000000b2';
const WEB = '0c1e0000-0000-4000-8000-0000000000c1';
const WEB_SECRET = 'flows+web/secret=1';
const NATIVE = '0c1e0000-0000-4000-8000-0000000000c2';
const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: KEY }],
  persons: [
    {
      person_id: ALICE,
      org_id: ORG,
      handles: [
        { type: 'email_address', value: 'alice@example.com' },
        { type: 'phone_number', value: '+447700900123' },
      ],
    },
    {
      person_id: BOB,
      org_id: ORG,
      handles: [
        { type: 'email_address', value: 'bob@example.com' },
        { type: 'username', value: 'bob_builder' },
      ],
    },
  ],
  clients: [
    {
      client_id: WEB,
      client_secret: WEB_SECRET,
      client_name: 'Web app',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access', 'email'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    {
      client_id: NATIVE,
      client_name: 'Native app',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      redirect_uris: ['http://127.0.0.1/native'],
    },
  ],
};

describe('slashid client against the emulator: OAuth flows, hosted UI, SSO tokens, person search', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let pools: PoolRegistry;
  let api: SlashIdClient;

  before(async () => {
    emulator = await startEmulator({ demo: false, seed: SEED });
    pools = new PoolRegistry();
    api = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG, apiKey: () => KEY, pools });
  });
  after(async () => {
    await pools.close();
    await emulator.close();
  });

  /** Signs in by login_hint (no page) and returns the code from the redirect, after checking state. */
  async function authorize(client: OAuthClientAuth, redirectUri: string, scopes: string[], person = 'email_address:alice@example.com') {
    const { codeVerifier, codeChallenge } = createPkce();
    const state = randomUrlSafe(16);
    const url = api.authorizationUrl({
      clientId: client.clientId,
      redirectUri,
      scopes,
      state,
      nonce: randomUrlSafe(16),
      codeChallenge,
      loginHint: person,
    });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 302, await response.text());
    const location = new URL(response.headers.get('location') ?? '');
    assert.equal(location.origin + location.pathname, redirectUri);
    assert.equal(location.searchParams.get('state'), state);
    const code = location.searchParams.get('code');
    assert.ok(code, location.toString());
    return { code, codeVerifier };
  }

  it('a confidential client: code → tokens → userinfo → refresh → revoke → inactive', async () => {
    const client = { clientId: WEB, clientSecret: WEB_SECRET };
    const redirectUri = 'http://127.0.0.1/callback';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'offline_access', 'email']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    assert.equal(tokens.token_type.toLowerCase(), 'bearer');
    assert.ok(tokens.id_token && tokens.refresh_token);

    const info = await api.getUserinfo(tokens.access_token);
    assert.equal(info.sub, ALICE);
    assert.equal(info.org_id, ORG);
    assert.equal(info.email, 'alice@example.com');
    assert.equal((await api.getUserinfo(tokens.access_token, 'POST')).sub, ALICE);

    // The code is single-use.
    const reused = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier }).catch((e: unknown) => e);
    assert.ok(reused instanceof OAuthError && reused.error === 'invalid_grant', String(reused));
    assert.match(describeError(reused), /rejected the grant/);

    const { code: code2, codeVerifier: verifier2 } = await authorize(client, redirectUri, ['openid', 'offline_access', 'email']);
    const fresh = await api.exchangeAuthorizationCode({ client, code: code2, redirectUri, codeVerifier: verifier2 });
    const refreshed = await api.refreshTokens({ client, refreshToken: fresh.refresh_token!, scopes: ['openid'] });
    assert.notEqual(refreshed.access_token, fresh.access_token);
    assert.equal(refreshed.scope, 'openid');

    await api.revokeToken({ client, token: refreshed.access_token, tokenTypeHint: 'access_token' });
    assert.equal((await api.introspectToken(WEB, WEB_SECRET, refreshed.access_token)).active, false);
    const rejected = await api.getUserinfo(refreshed.access_token).catch((e: unknown) => e);
    assert.ok(rejected instanceof SlashIdApiError && rejected.status === 401, String(rejected));
    assert.match(describeError(rejected), /the access token was rejected/);
  });

  it('a public client exchanges and refreshes with PKCE and client_id only', async () => {
    const client = { clientId: NATIVE };
    const redirectUri = 'http://127.0.0.1/native';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'offline_access']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    const refreshed = await api.refreshTokens({ client, refreshToken: tokens.refresh_token! });
    assert.ok(refreshed.access_token);
    await api.revokeToken({ client, token: refreshed.refresh_token!, tokenTypeHint: 'refresh_token' });
    const after = await api.refreshTokens({ client, refreshToken: refreshed.refresh_token! }).catch((e: unknown) => e);
    assert.ok(after instanceof OAuthError && after.error === 'invalid_grant', String(after));
    // Revoke-all needs a confidential client: refused before sending.
    await assert.rejects(api.revokeAllTokens({ client, personId: ALICE }), RequestValidationError);
  });

  it("revokes all of a person's tokens the client holds", async () => {
    const client = { clientId: WEB, clientSecret: WEB_SECRET };
    const redirectUri = 'http://127.0.0.1/callback';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'offline_access']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    assert.equal((await api.introspectToken(WEB, WEB_SECRET, tokens.access_token)).active, true);
    await api.revokeAllTokens({ client, personId: ALICE, until: new Date(Date.now() + 1_000) });
    assert.equal((await api.introspectToken(WEB, WEB_SECRET, tokens.access_token)).active, false);
  });

  it('says that userinfo needs openid when the token was not granted it (the 401 insufficient_scope challenge)', async () => {
    const client = { clientId: WEB, clientSecret: WEB_SECRET };
    const redirectUri = 'http://127.0.0.1/callback';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['email']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    const rejected = await api.getUserinfo(tokens.access_token).catch((e: unknown) => e);
    assert.ok(rejected instanceof SlashIdApiError && rejected.status === 401, String(rejected));
    assert.equal(rejected.bearerError, 'insufficient_scope');
    assert.match(
      describeError(rejected),
      /the access token was not granted the openid scope .*Userinfo needs a token requested with openid\.$/,
    );
    assert.ok(!describeError(rejected).includes(tokens.access_token));
  });

  it("introspects with the spec's scope parameter and any of its token type hints", async () => {
    const client = { clientId: WEB, clientSecret: WEB_SECRET };
    const redirectUri = 'http://127.0.0.1/callback';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'email']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    assert.equal((await api.introspectToken(WEB, WEB_SECRET, tokens.access_token, 'access_token', ['email'])).active, true);
    assert.equal(
      (await api.introspectToken(WEB, WEB_SECRET, tokens.access_token, 'access_token', ['openid', 'offline_access'])).active,
      false,
      'a scope the token was not granted',
    );
    assert.equal((await api.introspectToken(WEB, WEB_SECRET, tokens.id_token!, 'id_token')).active, false, 'an ID token');
    const refused = await api.introspectToken(WEB, WEB_SECRET, tokens.access_token, 'bogus' as never).catch((e: unknown) => e);
    assert.ok(refused instanceof RequestValidationError);
    assert.match(describeError(refused), /token_type_hint must be one of access_token, refresh_token, authorize_code, id_token/);
  });

  it('lists persons by the handle parameter', async () => {
    const ids = async (handle: string) => (await api.listPersons({ handle })).map((p) => p.person_id);
    assert.deepEqual(await ids('email_address:alice@example.com'), [ALICE]);
    assert.deepEqual(await ids('username:bob_builder'), [BOB]);
    assert.deepEqual(await ids('username:nobody'), []);
    const refused = await api.listPersons({ handle: 'alice@example.com' }).catch((e: unknown) => e);
    assert.ok(refused instanceof RequestValidationError);
    assert.match(describeError(refused), /handle must be email_address:…, phone_number:… or username:…/);
  });

  it("reads discovery as the spec's OpenIDConfig", async () => {
    const discovery = await api.getDiscovery();
    assert.equal(discovery.authorization_endpoint, `${emulator.url}/oauth2/authorize`);
    assert.ok(discovery.response_types_supported.includes('code'));
  });

  it('gets and replaces the hosted-UI configuration, unknown fields kept', async () => {
    const config = {
      logoUrl: 'https://example.com/logo.png',
      pageBackgroundColor: '#102030',
      handleTypes: ['email_address'],
      extra: { a: 1 },
    };
    const put = await api.updateUiConfiguration(WEB, config);
    assert.deepEqual(put, config);
    assert.deepEqual(await api.getUiConfiguration(WEB), config);
    const missing = await api.getUiConfiguration('0c1e0000-0000-4000-8000-0000000000ff').catch((e: unknown) => e);
    assert.ok(missing instanceof SlashIdApiError && missing.status === 404, String(missing));
  });

  it('queries and revokes the SSO tokens of a person', async () => {
    await emulator.createSsoLogin({ org_id: ORG, person_id: ALICE, provider: 'github' });
    const tokens = await api.querySsoTokens({ person_id: ALICE });
    assert.ok(tokens.length >= 1);
    const authenticationId = tokens[0].authentication_id!;
    assert.deepEqual(
      (await api.querySsoTokens({ person_id: ALICE, authentication_ids: [authenticationId], token_types: ['id'] })).map(
        (t) => t.token_type,
      ),
      ['id'],
    );
    await api.revokeSsoTokens({ person_id: ALICE, authentication_id: authenticationId });
    assert.deepEqual(await api.querySsoTokens({ person_id: ALICE, authentication_ids: [authenticationId] }), []);
    const unknown = await api.revokeSsoTokens({ person_id: ALICE, authentication_id: 'no-such-login' }).catch((e: unknown) => e);
    assert.ok(unknown instanceof SlashIdApiError && unknown.status === 404, String(unknown));
    assert.match(describeError(unknown), /no SSO tokens were found for this person and login/);
  });

  it('finds persons by email, phone number, person ID and username through SCIM filters', async () => {
    const ids = async (text: string) => (await api.searchPersons(text)).map((p) => p.person_id);
    assert.deepEqual(await ids('ALICE@example.com'), [ALICE]);
    assert.deepEqual(await ids('+44 7700 900123'), [ALICE]);
    assert.deepEqual(await ids(ALICE.toUpperCase()), [ALICE]);
    assert.deepEqual(await ids('bob@example.com'), [BOB]);
    assert.deepEqual(await ids('bob_builder'), [BOB]);
    assert.deepEqual(await ids('bob_the_builder'), [], 'a username nobody has');
    assert.deepEqual(await ids('nobody@example.com'), []);
    assert.deepEqual((await ids('')).sort(), [ALICE, BOB].sort());
  });
});
