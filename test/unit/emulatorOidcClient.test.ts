import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';

/*
 * A standard OpenID Connect client, not ours: panva's openid-client v6 (ESM-only, so loaded with a
 * dynamic import from these CommonJS-compiled tests) runs the whole life of a token against the
 * emulator with its default, strict checks, plus `enableNonRepudiationChecks` (ID token signatures
 * verified against the JWKS). The one relaxing option is `allowInsecureRequests`, the library's
 * documented switch for plain-http endpoints: it is about the transport only (the emulator is
 * http://127.0.0.1) and turns off no check of any answer.
 */

const loadOidc = () => import('openid-client');
type Oidc = Awaited<ReturnType<typeof loadOidc>>;

const ORG = '0dc00000-0000-4000-8000-000000000001';
const ALICE = '0dc00000-0000-4000-8000-0000000000a1';
const CONFIDENTIAL = '0dc00000-0000-4000-8000-0000000000c1';
const CONFIDENTIAL_SECRET = 'oidc-test-confidential-secret';
const PUBLIC = '0dc00000-0000-4000-8000-0000000000c2';
const SERVICE = '0dc00000-0000-4000-8000-0000000000c3';
const SERVICE_SECRET = 'oidc+test/service=secret';
const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: 'oidc-test-key' }],
  persons: [
    {
      person_id: ALICE,
      org_id: ORG,
      handles: [
        { type: 'email_address', value: 'alice@example.com' },
        { type: 'phone_number', value: '+447700900123' },
      ],
    },
  ],
  clients: [
    {
      client_id: CONFIDENTIAL,
      client_secret: CONFIDENTIAL_SECRET,
      client_name: 'Confidential web app',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access', 'email', 'phone'],
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    {
      client_id: PUBLIC,
      client_name: 'Public app',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      redirect_uris: ['http://127.0.0.1/native'],
    },
    {
      client_id: SERVICE,
      client_secret: SERVICE_SECRET,
      client_name: 'Service',
      grant_types: ['client_credentials'],
      scopes: ['reports:read', 'reports:write'],
    },
  ],
};

function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken).digest();
  return digest.subarray(0, 16).toString('base64url');
}

describe('emulator with a standard OIDC client (openid-client v6)', () => {
  let emu: Emulator;
  let oidc: Oidc;
  before(async () => {
    oidc = await loadOidc();
    emu = await startEmulator({ seed: SEED });
  });
  after(async () => {
    await emu.close();
  });

  /**
   * Discovery with the library's defaults; allowInsecureRequests only lets it speak http to 127.0.0.1.
   * `enableNonRepudiationChecks` adds a check the defaults leave out: the signature of every ID token
   * from the token endpoint, against the emulator's JWKS.
   */
  function discover(clientId: string, auth: ReturnType<Oidc['None']>, hybrid = false) {
    const execute = [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks];
    return oidc.discovery(new URL(emu.url), clientId, undefined, auth, {
      execute: hybrid ? [...execute, oidc.useCodeIdTokenResponseType] : execute,
    });
  }

  /** The authorization leg: the URL the library builds, followed by fetch with `redirect: 'manual'` (login_hint signs in at once). */
  async function authorize(config: Awaited<ReturnType<typeof discover>>, redirectUri: string, scope: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: 'email_address:alice@example.com',
    });
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = res.headers.get('location') ?? '';
    assert.ok(location.startsWith(`${redirectUri}?`) || location.startsWith(`${redirectUri}#`), `redirected to ${location}`);
    return { callback: new URL(location), verifier, state, nonce };
  }

  it('runs the whole life of a token: discovery, PKCE code flow, ID token, userinfo, refresh, revoke, introspection', async () => {
    const config = await discover(CONFIDENTIAL, oidc.ClientSecretBasic(CONFIDENTIAL_SECRET));
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, emu.url);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);

    // A loopback redirect URI matches the registered one on any port (RFC 8252 §7.3).
    const redirectUri = 'http://127.0.0.1:49152/callback';
    const { callback, verifier, state, nonce } = await authorize(config, redirectUri, 'openid offline_access email phone');
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token, 'offline_access gives a refresh token');
    const claims = tokens.claims();
    assert.ok(claims);
    assert.equal(claims.sub, ALICE);
    assert.equal(claims.aud, CONFIDENTIAL);
    assert.equal(claims.iss, emu.url);
    assert.equal(claims.nonce, nonce);
    assert.equal(typeof claims.auth_time, 'number');
    assert.equal(claims.at_hash, atHash(tokens.access_token));

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    assert.deepEqual(userinfo, {
      sub: ALICE,
      iss: emu.url,
      aud: CONFIDENTIAL,
      org_id: ORG,
      email: 'alice@example.com',
      email_verified: true,
      phone_number: '+447700900123',
      phone_number_verified: true,
    });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token, { scope: 'openid offline_access' });
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.ok(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, 'refresh tokens rotate');
    assert.equal(refreshed.scope, 'openid offline_access', 'scope narrowed on refresh');
    assert.equal(refreshed.claims()?.sub, ALICE);
    assert.equal((await oidc.tokenIntrospection(config, refreshed.access_token)).active, true);
    assert.equal((await oidc.tokenIntrospection(config, tokens.refresh_token)).active, false, 'a used refresh token is retired');

    await oidc.tokenRevocation(config, refreshed.refresh_token);
    for (const token of [refreshed.access_token, refreshed.refresh_token, tokens.access_token]) {
      assert.equal((await oidc.tokenIntrospection(config, token)).active, false);
    }
    await assert.rejects(
      oidc.refreshTokenGrant(config, refreshed.refresh_token),
      (err: { error?: string }) => err.error === 'invalid_grant',
    );
  });

  it('runs the hybrid flow (code id_token, in the fragment) with c_hash and nonce checked by the library', async () => {
    const config = await discover(CONFIDENTIAL, oidc.ClientSecretPost(CONFIDENTIAL_SECRET), true);
    const redirectUri = 'http://127.0.0.1:50000/callback';
    const { callback, verifier, state, nonce } = await authorize(config, redirectUri, 'openid email');
    assert.equal(callback.search, '');
    assert.ok(new URLSearchParams(callback.hash.slice(1)).get('id_token'));
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()?.sub, ALICE);
    assert.equal((await oidc.fetchUserInfo(config, tokens.access_token, ALICE)).email, 'alice@example.com');
  });

  it('runs the code flow for a public client (PKCE, client_id only), and refreshes', async () => {
    const config = await discover(PUBLIC, oidc.None());
    const redirectUri = 'http://127.0.0.1:61000/native';
    const { callback, verifier, state, nonce } = await authorize(config, redirectUri, 'openid offline_access');
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
    assert.equal(tokens.claims()?.sub, ALICE);
    assert.ok(tokens.refresh_token);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    assert.ok(refreshed.refresh_token);
    assert.deepEqual(await oidc.fetchUserInfo(config, refreshed.access_token, ALICE), {
      sub: ALICE,
      iss: emu.url,
      aud: PUBLIC,
      org_id: ORG,
    });
    await oidc.tokenRevocation(config, refreshed.refresh_token);
    await assert.rejects(
      oidc.refreshTokenGrant(config, refreshed.refresh_token),
      (err: { error?: string }) => err.error === 'invalid_grant',
    );
  });

  for (const [name, auth] of [
    ['client_secret_basic', (o: Oidc) => o.ClientSecretBasic(SERVICE_SECRET)],
    ['client_secret_post', (o: Oidc) => o.ClientSecretPost(SERVICE_SECRET)],
  ] as const) {
    it(`gets client-credentials tokens with ${name} and introspects them`, async () => {
      const config = await discover(SERVICE, auth(oidc));
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'reports:read' });
      assert.equal(tokens.scope, 'reports:read');
      const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
      assert.equal(introspection.active, true);
      assert.equal(introspection.client_id, SERVICE);
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token, { scope: 'reports:write' })).active, false);
      await oidc.tokenRevocation(config, tokens.access_token);
      assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, false);
    });
  }
});
