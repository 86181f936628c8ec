/**
 * Issue 19 M2: "Copy Last Request as curl" after every kind of request the API client sends, run against
 * the emulator: the curl carries no credential (API key, client secret, Basic credentials, code, PKCE
 * verifier, tokens, the SSO token container) in any encoding, and names each one by its placeholder.
 */
import assert from 'node:assert/strict';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { SlashIdClient, type OAuthClientAuth } from '../../src/slashid/client';
import { createPkce, randomUrlSafe } from '../../src/slashid/authorization';
import { toCurl } from '../../src/slashid/curl';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { REDACTED, redactRequest, type RecordedRequest } from '../../src/slashid/recordedRequest';
import { basicCredentials, secretEncodings } from '../../src/slashid/redaction';

const ORG = '0c1e0000-0000-4000-8000-000000000c01';
const KEY = 'curl-redaction-admin-key-5c2e';
const ALICE = '0c1e0000-0000-4000-8000-000000000ca1';
const WEB = '0c1e0000-0000-4000-8000-000000000cc1';
const WEB_SECRET = 'curl+web/secret=77';
const NATIVE = '0c1e0000-0000-4000-8000-000000000cc2';
const SERVICE = '0c1e0000-0000-4000-8000-000000000cc3';
const SERVICE_SECRET = 'curl-service-secret-41';
const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: KEY }],
  persons: [{ person_id: ALICE, org_id: ORG, handles: [{ type: 'email_address', value: 'alice@example.com' }] }],
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
    { client_id: SERVICE, client_secret: SERVICE_SECRET, client_name: 'Service', grant_types: ['client_credentials'], scopes: ['read'] },
  ],
};

describe('Copy Last Request as curl: no credential after any request the client sends', function () {
  this.timeout(30_000);
  let emulator: Emulator;
  let pools: PoolRegistry;
  let api: SlashIdClient;
  /** Every credential seen so far: none may appear in any curl, whichever request it was sent with. */
  const secrets = new Set<string>([
    KEY,
    WEB_SECRET,
    SERVICE_SECRET,
    basicCredentials(WEB, WEB_SECRET),
    basicCredentials(SERVICE, SERVICE_SECRET),
  ]);

  before(async () => {
    emulator = await startEmulator({ demo: false, seed: SEED });
    pools = new PoolRegistry();
    api = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG, apiKey: () => KEY, pools, retry: { attempts: 1 } });
  });
  after(async () => {
    await pools.close();
    await emulator.close();
  });

  /** The curl of the last request: no known secret in any encoding, each expected placeholder present. */
  function curlOfLast(operation: string, placeholders: string[]): string {
    const last = api.lastRequest;
    assert.ok(last, `${operation}: a request was recorded`);
    const curl = toCurl(last);
    for (const secret of secrets) {
      for (const form of secretEncodings(secret)) {
        assert.ok(!curl.includes(form), `${operation}: the curl carries a secret (${form.slice(0, 6)}…):\n${curl}`);
      }
    }
    for (const placeholder of placeholders) {
      assert.ok(curl.includes(`"$${placeholder}"`), `${operation}: the curl names "$${placeholder}":\n${curl}`);
    }
    return curl;
  }

  async function authorize(client: OAuthClientAuth, redirectUri: string, scopes: string[]) {
    const { codeVerifier, codeChallenge } = createPkce();
    const state = randomUrlSafe(16);
    const url = api.authorizationUrl({
      clientId: client.clientId,
      redirectUri,
      scopes,
      state,
      nonce: randomUrlSafe(16),
      codeChallenge,
      loginHint: 'email_address:alice@example.com',
    });
    const response = await fetch(url, { redirect: 'manual' });
    assert.equal(response.status, 302, await response.text());
    const code = new URL(response.headers.get('location') ?? '').searchParams.get('code');
    assert.ok(code);
    secrets.add(code);
    secrets.add(codeVerifier);
    return { code, codeVerifier };
  }

  function tokensSeen(tokens: { access_token: string; refresh_token?: string; id_token?: string }): void {
    for (const token of [tokens.access_token, tokens.refresh_token, tokens.id_token]) if (token) secrets.add(token);
  }

  it('organization reads and writes with the API key', async () => {
    await api.listClients();
    curlOfLast('listClients', ['SLASHID_API_KEY']);
    await api.getClient(WEB);
    curlOfLast('getClient', ['SLASHID_API_KEY']);
    const created = await api.createClient({
      client_name: 'Made for curl',
      scopes: ['openid'],
      grant_types: ['authorization_code'],
      redirect_uris: ['https://example.com/cb'],
    });
    if (created.client_secret) secrets.add(created.client_secret);
    curlOfLast('createClient', ['SLASHID_API_KEY']);
    await api.updateClient(created.client_id, { client_name: 'Renamed for curl' });
    curlOfLast('updateClient', ['SLASHID_API_KEY']);
    const rotated = await api.rotateClientSecret(created.client_id);
    secrets.add(rotated.client_secret);
    curlOfLast('rotateClientSecret', ['SLASHID_API_KEY']);
    await api.deleteClient(created.client_id);
    curlOfLast('deleteClient', ['SLASHID_API_KEY']);
    await api.updateUiConfiguration(WEB, { pageBackgroundColor: '#102030' });
    curlOfLast('updateUiConfiguration', ['SLASHID_API_KEY']);
    await api.getUiConfiguration(WEB);
    curlOfLast('getUiConfiguration', ['SLASHID_API_KEY']);
    await api.listPersons({ handle: 'email_address:alice@example.com' });
    curlOfLast('listPersons', ['SLASHID_API_KEY']);
    await api.searchPersons('alice@example.com');
    curlOfLast('searchPersons', ['SLASHID_API_KEY']);
    await api.listSubOrganizations();
    curlOfLast('listSubOrganizations', ['SLASHID_API_KEY']);
    await api.getJwks();
    curlOfLast('getJwks', []);
    await api.getDiscovery();
    curlOfLast('getDiscovery', []);
  });

  it('client credentials, introspection and mint', async () => {
    const cc = await api.getClientCredentialsToken(SERVICE, SERVICE_SECRET, ['read']);
    tokensSeen(cc);
    curlOfLast('getClientCredentialsToken', ['SLASHID_CLIENT_SECRET']);
    await api.introspectToken(SERVICE, SERVICE_SECRET, cc.access_token, 'access_token');
    curlOfLast('introspectToken', ['SLASHID_CLIENT_SECRET', 'SLASHID_TOKEN_VALUE']);
    const minted = await api.mintTokens({ person_id: ALICE, client_id: WEB, scopes: ['openid', 'offline_access'] });
    tokensSeen(minted);
    curlOfLast('mintTokens', ['SLASHID_API_KEY']);
  });

  it('a confidential client: code exchange, userinfo, refresh, revoke, revoke-all', async () => {
    const client = { clientId: WEB, clientSecret: WEB_SECRET };
    const redirectUri = 'http://127.0.0.1/callback';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'offline_access', 'email']);
    const tokens = await api.exchangeAuthorizationCode({ client, code, redirectUri, codeVerifier });
    tokensSeen(tokens);
    curlOfLast('exchangeAuthorizationCode', ['SLASHID_CLIENT_SECRET', 'SLASHID_AUTHORIZATION_CODE', 'SLASHID_CODE_VERIFIER']);
    await api.getUserinfo(tokens.access_token);
    curlOfLast('getUserinfo GET', ['SLASHID_AUTHORIZATION']);
    await api.getUserinfo(tokens.access_token, 'POST');
    curlOfLast('getUserinfo POST', ['SLASHID_AUTHORIZATION']);
    const refreshed = await api.refreshTokens({ client, refreshToken: tokens.refresh_token!, scopes: ['openid'] });
    tokensSeen(refreshed);
    curlOfLast('refreshTokens', ['SLASHID_CLIENT_SECRET', 'SLASHID_REFRESH_TOKEN']);
    await api.revokeToken({ client, token: refreshed.access_token, tokenTypeHint: 'access_token' });
    curlOfLast('revokeToken', ['SLASHID_CLIENT_SECRET', 'SLASHID_TOKEN_VALUE']);
    await api.revokeAllTokens({ client, personId: ALICE });
    curlOfLast('revokeAllTokens', ['SLASHID_CLIENT_SECRET']);
  });

  it('a public client: a failed exchange, then exchange and refresh (the curl alone would return tokens)', async () => {
    const client = { clientId: NATIVE };
    const redirectUri = 'http://127.0.0.1/native';
    const { code, codeVerifier } = await authorize(client, redirectUri, ['openid', 'offline_access']);
    const failed = await api
      .exchangeAuthorizationCode({ client, code, redirectUri: 'http://127.0.0.1/other', codeVerifier })
      .catch((e: unknown) => e);
    assert.ok(failed instanceof Error, 'the exchange with another redirect URI fails');
    curlOfLast('failed exchangeAuthorizationCode', ['SLASHID_AUTHORIZATION_CODE', 'SLASHID_CODE_VERIFIER']);
    const again = await authorize(client, redirectUri, ['openid', 'offline_access']);
    const tokens = await api.exchangeAuthorizationCode({ client, code: again.code, redirectUri, codeVerifier: again.codeVerifier });
    tokensSeen(tokens);
    const curl = curlOfLast('public exchangeAuthorizationCode', ['SLASHID_AUTHORIZATION_CODE', 'SLASHID_CODE_VERIFIER']);
    assert.match(curl, /client_id=0c1e0000-0000-4000-8000-000000000cc2/, 'the public client ID stays');
    const refreshed = await api.refreshTokens({ client, refreshToken: tokens.refresh_token! });
    tokensSeen(refreshed);
    curlOfLast('public refreshTokens', ['SLASHID_REFRESH_TOKEN']);
    await api.revokeToken({ client, token: refreshed.refresh_token!, tokenTypeHint: 'refresh_token' });
    curlOfLast('public revokeToken', ['SLASHID_TOKEN_VALUE']);
  });

  it('SSO tokens: the token container header, query and revoke', async () => {
    const container = await emulator.createSsoLogin({ org_id: ORG, person_id: ALICE, provider: 'github' });
    secrets.add(container);
    const listed = await api.getOidcTokens(container);
    for (const t of listed) if (typeof t.token === 'string') secrets.add(t.token);
    curlOfLast('getOidcTokens', ['SLASHID_API_KEY', 'SLASHID_TOKEN']);
    const queried = await api.querySsoTokens({ person_id: ALICE });
    curlOfLast('querySsoTokens', ['SLASHID_API_KEY']);
    await api.revokeSsoTokens({ person_id: ALICE, authentication_id: queried[0].authentication_id! });
    curlOfLast('revokeSsoTokens', ['SLASHID_API_KEY']);
  });

  it('every credential a form, a JSON body or a query can carry, whatever produced the record', () => {
    const fields: [string, string][] = [
      ['grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange'],
      ['code', 'c0de-value-1'],
      ['code_verifier', 'verifier-value-2'],
      ['refresh_token', 'refresh-value-3'],
      ['access_token', 'access-value-4'],
      ['id_token', 'idtoken-value-5'],
      ['token', 'token-value-6'],
      ['client_secret', 'secret-value-7'],
      ['client_assertion', 'assertion-value-8'],
      ['subject_token', 'subject-value-9'],
      ['actor_token', 'actor-value-10'],
      ['device_code', 'device-value-11'],
      ['password', 'password-value-12'],
      ['assertion', 'jwt-bearer-value-13'],
      ['id_token_hint', 'hint-value-14'],
    ];
    const values = fields.slice(1).map(([, v]) => v);
    const query = fields
      .slice(1)
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const request: RecordedRequest = {
      method: 'POST',
      url: `https://api.example.com/oauth2/tokens?${query}&kept=yes#frag`,
      headers: { authorization: 'Bearer header-value-15', cookie: 'session=cookie-value-16', 'content-type': 'x' },
      body: { type: 'form', fields },
    };
    const jsonRequest: RecordedRequest = { ...request, body: { type: 'json', value: { nested: [Object.fromEntries(fields)] } } };
    for (const raw of [request, jsonRequest]) {
      for (const input of [raw, redactRequest(raw)]) {
        const curl = toCurl(input);
        for (const value of [...values, 'header-value-15', 'cookie-value-16']) assert.ok(!curl.includes(value), `${value} in\n${curl}`);
        assert.match(curl, /kept=yes/);
        assert.match(curl, /\?code='"\$SLASHID_AUTHORIZATION_CODE"/);
        assert.match(curl, /'&refresh_token='"\$SLASHID_REFRESH_TOKEN"/);
        if (input.body?.type === 'json') {
          assert.ok(curl.includes(`"code":"${REDACTED}"`) && curl.includes(`"refresh_token":"${REDACTED}"`), curl);
        } else {
          for (const env of ['SLASHID_CODE_VERIFIER', 'SLASHID_SUBJECT_TOKEN', 'SLASHID_DEVICE_CODE', 'SLASHID_CLIENT_ASSERTION']) {
            assert.ok(curl.includes(`"$${env}"`), `${env} in\n${curl}`);
          }
        }
      }
      // The record itself (what logs show) has no value either.
      const recorded = JSON.stringify(redactRequest(raw));
      for (const value of values) assert.ok(!recorded.includes(value), `${value} in the record`);
    }
  });
});
