/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their fields (and check them against the spec's schemas). */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeJwt } from 'jose';
import { request } from 'undici';
import { startEmulator } from '../../emulator/index';
import {
  ALICE,
  answer,
  basic,
  BOB,
  CALLBACK,
  check,
  KEY,
  MEMBER_KEY,
  NATIVE,
  oauthHarness,
  ORG,
  OTHER_ORG,
  pkce,
  SEED,
  SERVICE,
  SERVICE_SECRET,
  STRANGER,
  WEB,
  WEB2,
  WEB2_SECRET,
  WEB_SECRET,
} from './emulatorOAuthFixture';
import * as spec from './specSchemas';

/**
 * Revocation, revoke-all, introspection, userinfo, UI configuration, SSO token query/revoke, the SCIM
 * person filter, discovery, and the emulator's standards (faults, concurrency, the state file), over
 * loopback (emulatorOAuthFixture.ts has the seed and helpers).
 */

describe('emulator OAuth2 operations (issue 12)', () => {
  const h = oauthHarness();
  const { post, api, webCode, exchange, introspect, expectOAuthError, withClock } = h;
  before(() => h.start());
  after(() => h.stop());

  describe('revocation, revoke-all and introspection', () => {
    it('revokes per RFC 7009: 200 for unknown tokens and for tokens of other clients (left alone)', async () => {
      const { code, verifier } = await webCode();
      const t = (await exchange(code, verifier)).json;
      const unknown = await post('/oauth2/tokens/revoke', { token: 'no-such-token' }, [WEB, WEB_SECRET]);
      assert.equal(unknown.status, 200);
      assert.equal(unknown.text, '');
      assert.equal((await post('/oauth2/tokens/revoke', { token: t.access_token }, [WEB2, WEB2_SECRET])).status, 200);
      assert.equal(await introspect(t.access_token), true, 'another client cannot revoke the token');
      assert.equal(
        (await post('/oauth2/tokens/revoke', { token: t.access_token, token_type_hint: 'access_token' }, [WEB, WEB_SECRET])).status,
        200,
      );
      assert.equal(await introspect(t.access_token), false);
      assert.equal(await introspect(t.refresh_token), true, 'revoking an access token leaves the refresh token');
      expectOAuthError(await post('/oauth2/tokens/revoke', {}, [WEB, WEB_SECRET]), 400, 'invalid_request');
      expectOAuthError(await post('/oauth2/tokens/revoke', { token: t.refresh_token }, [WEB, 'wrong']), 401, 'invalid_client');
    });

    it('revoke-all revokes the person tokens issued until `until`, and later ones stay', async () => {
      const mint = async () =>
        (await api('POST', '/oauth2/tokens/mint', { person_id: ALICE, client_id: WEB, scopes: ['offline_access'] })).json.result;
      const early = await mint();
      await new Promise((r) => setTimeout(r, 1100));
      const until = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 1100));
      const late = await mint();
      const res = await post('/oauth2/tokens/revoke-all', { person_id: ALICE, until }, [WEB, WEB_SECRET]);
      assert.equal(res.status, 200, res.text);
      assert.equal(await introspect(early.access_token), false);
      assert.equal(await introspect(early.refresh_token), false);
      assert.equal(await introspect(late.access_token), true);
      assert.equal((await post('/oauth2/tokens/revoke-all', { person_id: ALICE }, [WEB, WEB_SECRET])).status, 200);
      assert.equal(await introspect(late.access_token), false, 'no until = until now');
      expectOAuthError(
        await post('/oauth2/tokens/revoke-all', { person_id: ALICE, until: 'yesterday' }, [WEB, WEB_SECRET]),
        400,
        'invalid_request',
      );
      expectOAuthError(await post('/oauth2/tokens/revoke-all', { person_id: STRANGER }, [WEB, WEB_SECRET]), 400, 'invalid_request');
      expectOAuthError(await post('/oauth2/tokens/revoke-all', {}, [WEB, WEB_SECRET]), 400, 'invalid_request');
      expectOAuthError(await post('/oauth2/tokens/revoke-all', { person_id: ALICE, client_id: NATIVE }), 401, 'invalid_client');
    });

    it('introspects only access and refresh tokens, and honours the scope parameter', async () => {
      const { code, verifier } = await webCode();
      const t = (await exchange(code, verifier)).json;
      assert.equal(await introspect(t.access_token, { scope: 'openid email' }), true);
      assert.equal(await introspect(t.access_token, { scope: 'openid orders:read' }), false);
      assert.equal(await introspect(t.id_token), false, 'an ID token is not an access token');
      const unused = await webCode();
      assert.equal(await introspect(unused.code), false, 'an authorization code is not an access token');
      assert.equal(await withClock(601_000, () => introspect(t.access_token)), false, 'expired');
      const res = await post('/oauth2/tokens/introspect', { token: t.access_token }, [WEB, WEB_SECRET]);
      const body = check(spec.IntrospectOAuth2TokenResponse, res.json);
      assert.equal(body.client_id, WEB);
      assert.equal(body.scope, 'openid offline_access email');
    });
  });

  describe('userinfo', () => {
    it('answers GET and POST with the spec UserinfoOAuth2Response for the granted scopes', async () => {
      const { code, verifier } = await webCode({ scope: 'openid phone' });
      const t = (await exchange(code, verifier)).json;
      const get = await answer(await request(`${h.emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } }));
      assert.equal(get.status, 200);
      assert.deepEqual(check(spec.UserinfoOAuth2Response, get.json), {
        sub: ALICE,
        iss: h.emu.url,
        aud: WEB,
        org_id: ORG,
        phone_number: '+15550001111',
        phone_number_verified: true,
      });
      const postHeader = await answer(
        await request(`${h.emu.url}/oauth2/userinfo`, { method: 'POST', headers: { Authorization: `Bearer ${t.access_token}` } }),
      );
      assert.deepEqual(postHeader.json, get.json);
      const postForm = await post('/oauth2/userinfo', { access_token: t.access_token });
      assert.deepEqual(postForm.json, get.json);
      const named = await webCode({ scope: 'openid username' });
      const withUsername = (await exchange(named.code, named.verifier)).json;
      const usernameAnswer = await answer(
        await request(`${h.emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${withUsername.access_token}` } }),
      );
      assert.deepEqual(check(spec.UserinfoOAuth2Response, usernameAnswer.json), {
        sub: ALICE,
        iss: h.emu.url,
        aud: WEB,
        org_id: ORG,
        username: 'alice.w',
      });
    });

    it('answers 401 with WWW-Authenticate without a valid access token, and insufficient_scope without openid', async () => {
      const noToken = await answer(await request(`${h.emu.url}/oauth2/userinfo`));
      assert.equal(noToken.status, 401);
      check(spec.ErrorEnvelope, noToken.json);
      assert.equal(noToken.headers['www-authenticate'], 'Bearer realm="SlashID emulator"');
      const { code, verifier } = await webCode({ scope: 'openid' });
      const t = (await exchange(code, verifier)).json;
      const service = (await post('/oauth2/tokens', { grant_type: 'client_credentials' }, [SERVICE, SERVICE_SECRET])).json.access_token;
      for (const [name, header] of [
        ['garbage', 'Bearer not.a.jwt'],
        ['an ID token', `Bearer ${t.id_token}`],
        ['an opaque client-credentials token', `Bearer ${service}`],
        ['not Bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ]) {
        const res = await answer(await request(`${h.emu.url}/oauth2/userinfo`, { headers: { Authorization: header } }));
        assert.equal(res.status, 401, name);
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="SlashID emulator", error="invalid_(token|request)"/, name);
      }
      await post('/oauth2/tokens/revoke', { token: t.access_token }, [WEB, WEB_SECRET]);
      const revoked = await answer(
        await request(`${h.emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } }),
      );
      assert.equal(revoked.status, 401);
      const noOpenid = await webCode({ scope: 'email' });
      const emailOnly = (await exchange(noOpenid.code, noOpenid.verifier)).json;
      const forbidden = await answer(
        await request(`${h.emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${emailOnly.access_token}` } }),
      );
      assert.equal(forbidden.status, 401, 'the spec lists only 401 for userinfo');
      check(spec.ErrorEnvelope, forbidden.json);
      assert.match(
        String(forbidden.headers['www-authenticate']),
        /^Bearer realm="SlashID emulator", error="insufficient_scope", .*scope="openid"$/,
      );
    });
  });

  describe('client UI configuration', () => {
    it('stores the configuration, keeping unknown fields, as the spec schema says', async () => {
      const empty = await api('GET', `/oauth2/clients/${WEB2}/ui-configuration`);
      assert.equal(empty.status, 200);
      assert.deepEqual(check(spec.envelopeOf(spec.OAuthClientUIConfiguration), empty.json).result, {});
      const config = { pageTitle: 'Hi', themeVars: { '--sid-color': '#fff' }, futureField: { nested: [1, 2] }, showBadge: false };
      const put = await api('PUT', `/oauth2/clients/${WEB2}/ui-configuration`, config);
      assert.equal(put.status, 201);
      assert.deepEqual(check(spec.envelopeOf(spec.OAuthClientUIConfiguration), put.json).result, config);
      assert.deepEqual((await api('GET', `/oauth2/clients/${WEB2}/ui-configuration`, undefined, MEMBER_KEY)).json.result, config);
      assert.equal((await api('PUT', `/oauth2/clients/${WEB2}/ui-configuration`, config, MEMBER_KEY)).status, 403);
      const bad = await api('PUT', `/oauth2/clients/${WEB2}/ui-configuration`, { showBadge: 'yes' });
      assert.equal(bad.status, 400);
      assert.match(check(spec.ErrorEnvelope, bad.json).errors[0].message, /showBadge/);
      assert.equal((await api('PUT', `/oauth2/clients/${WEB2}/ui-configuration`, [1])).status, 400);
      const proto = await answer(
        await request(`${h.emu.url}/oauth2/clients/${WEB2}/ui-configuration`, {
          method: 'PUT',
          headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
          body: '{"__proto__":{"polluted":true}}',
        }),
      );
      assert.equal(proto.status, 400);
      assert.equal((await api('GET', '/oauth2/clients/0a000000-0000-4000-8000-00000000dead/ui-configuration')).status, 404);
      assert.equal((await api('GET', `/oauth2/clients/${WEB2}/ui-configuration`, undefined, 'other-key', OTHER_ORG)).status, 403);
    });
  });

  describe('SSO OIDC token query and revoke v2', () => {
    it('queries a person tokens by login and type, and revokes them', async () => {
      const first = decodeJwt(await h.emu.createSsoLogin({ org_id: ORG, person_id: BOB, provider: 'google' })).jti as string;
      const second = decodeJwt(await h.emu.createSsoLogin({ org_id: ORG, person_id: BOB, provider: 'github' })).jti as string;
      const all = await api('POST', '/sso/oidc/tokens/query', { person_id: BOB }, MEMBER_KEY);
      assert.equal(all.status, 200);
      const tokens = check(spec.envelopeOf(spec.SsoOidcTokensQueryResp), all.json).result;
      assert.equal(tokens.length, 6);
      const some = await api('POST', '/sso/oidc/tokens/query', {
        person_id: BOB,
        authentication_ids: [second],
        token_types: ['id', 'access'],
      });
      assert.deepEqual(
        check(spec.envelopeOf(spec.SsoOidcTokensQueryResp), some.json)
          .result.map((t) => `${t.provider}:${t.token_type}`)
          .sort(),
        ['github:access', 'github:id'],
      );
      assert.deepEqual((await api('POST', '/sso/oidc/tokens/query', { person_id: ALICE })).json.result, []);
      assert.equal((await api('POST', '/sso/oidc/tokens/query', { person_id: BOB, token_types: ['bogus'] })).status, 400);
      assert.equal((await api('POST', '/sso/oidc/tokens/query', {})).status, 400);

      assert.equal((await api('POST', '/sso/oidc/tokens/revoke/v2', { person_id: BOB, authentication_id: first }, MEMBER_KEY)).status, 403);
      const partial = await api('POST', '/sso/oidc/tokens/revoke/v2', {
        person_id: BOB,
        authentication_id: first,
        token_types: ['refresh'],
      });
      assert.equal(partial.status, 204);
      assert.deepEqual(
        (await api('POST', '/sso/oidc/tokens/query', { person_id: BOB, authentication_ids: [first] })).json.result
          .map((t: any) => t.token_type)
          .sort(),
        ['access', 'id'],
      );
      assert.equal((await api('POST', '/sso/oidc/tokens/revoke/v2', { person_id: BOB, authentication_id: first })).status, 204);
      assert.deepEqual((await api('POST', '/sso/oidc/tokens/query', { person_id: BOB, authentication_ids: [first] })).json.result, []);
      assert.equal((await api('POST', '/sso/oidc/tokens/revoke/v2', { person_id: ALICE, authentication_id: second })).status, 404);
      assert.equal((await api('POST', '/sso/oidc/tokens/revoke/v2', { person_id: BOB, authentication_id: 'nope' })).status, 404);
      assert.equal(
        (await api('POST', '/sso/oidc/tokens/revoke/v2', { person_id: BOB, authentication_id: second }, 'other-key', OTHER_ORG)).status,
        404,
      );
    });
  });

  describe('GET /persons SCIM filter', () => {
    const ids = async (query: string) => {
      const res = await api('GET', `/persons?${query}`);
      assert.equal(res.status, 200, `${query}: ${res.text}`);
      return check(spec.envelopeOf(spec.PersonRet.array()), res.json)
        .result.map((p) => p.person_id)
        .sort();
    };
    const filter = (f: string) => ids(`filter=${encodeURIComponent(f)}`);

    it('filters with eq on person_id, handles, active and roles, and/or, parentheses, and the handle parameter', async () => {
      assert.deepEqual(await filter(`person_id eq "${ALICE}"`), [ALICE]);
      assert.deepEqual(await filter('handles eq "email_address:bob@example.org"'), [BOB]);
      assert.deepEqual(await filter('handles eq "phone_number:+15550001111"'), [ALICE]);
      assert.deepEqual(await filter('handles eq "username:alice.w"'), [ALICE]);
      assert.deepEqual(await filter('handles eq "username:Alice.W"'), [], 'a username compares exactly');
      assert.deepEqual(await filter('active eq true'), [ALICE, BOB]);
      assert.deepEqual(await filter('active eq false'), []);
      assert.deepEqual(await filter('roles eq "admin"'), [ALICE]);
      assert.deepEqual(await filter(`roles eq "viewer" or person_id eq "${ALICE}"`), [ALICE, BOB]);
      assert.deepEqual(await filter('roles eq "viewer" and active eq true'), [BOB]);
      assert.deepEqual(await filter('roles eq "admin" or roles eq "viewer" and active eq false'), [ALICE], 'and binds tighter');
      assert.deepEqual(await filter('(roles eq "admin" or roles eq "viewer") and active eq false'), []);
      assert.deepEqual(await filter('ROLES EQ "admin" AND Active Eq TRUE'), [ALICE], 'names and operators are case-insensitive');
      assert.deepEqual(await filter('handles eq "email_address:stranger@example.net"'), [], 'only the header org');
      assert.deepEqual(await ids(`handle=${encodeURIComponent('email_address:alice@example.com')}`), [ALICE]);
      assert.deepEqual(
        await ids(`handle=${encodeURIComponent('email_address:alice@example.com')}&filter=${encodeURIComponent('roles eq "viewer"')}`),
        [],
      );
    });

    it('answers 400 naming the problem for anything else', async () => {
      const cases: [string, RegExp][] = [
        ['', /empty/],
        ['alice', /expected the operator eq after "alice"|unknown attribute "alice"/],
        ['name eq "x"', /unknown attribute "name"/],
        ['handles co "alice"', /operator "co" .* not supported/],
        ['person_id ne "x"', /operator "ne" .* not supported/],
        ['not (active eq true)', /"not" .* not supported/],
        ['(active eq true', /expected "\)" to close/],
        ['active eq true)', /expected "and", "or" or the end/],
        ['handles eq "email_address:x', /not closed/],
        ['active eq "true"', /active compares with true or false/],
        ['roles eq admin', /roles compares with a quoted string/],
        ['person_id eq', /found the end of the filter/],
        ['active eq true and', /expected an attribute name, found the end/],
        ['active eq true; drop', /unexpected character ";"/],
        ['handles eq "alice"', /a handle is "type:value"/],
        [`${'('.repeat(40)}active eq true${')'.repeat(40)}`, /nested more than/],
      ];
      for (const [f, message] of cases) {
        const res = await api('GET', `/persons?filter=${encodeURIComponent(f)}`);
        assert.equal(res.status, 400, f);
        const text = check(spec.ErrorEnvelope, res.json).errors[0].message;
        assert.match(text, /^Invalid filter: /, f);
        assert.match(text, message, f);
      }
      const badHandle = await api('GET', '/persons?handle=alice');
      assert.equal(badHandle.status, 400);
      assert.match(badHandle.json.errors[0].message, /^Invalid handle: /);
    });
  });

  describe('discovery and standards', () => {
    it('advertises exactly what is served and passes the spec OpenIDConfig schema', async () => {
      const res = await answer(await request(`${h.emu.url}/.well-known/openid-configuration`));
      const config = check(spec.OpenIDConfig, res.json);
      assert.equal(config.authorization_endpoint, `${h.emu.url}/oauth2/authorize`);
      assert.deepEqual(res.json.code_challenge_methods_supported, ['S256']);
      assert.deepEqual(config.response_types_supported, ['code', 'code id_token']);
      assert.deepEqual([...(config.grant_types_supported ?? [])].sort(), ['authorization_code', 'client_credentials', 'refresh_token']);
      for (const [field, method] of [
        ['authorization_endpoint', 'GET'],
        ['token_endpoint', 'POST'],
        ['userinfo_endpoint', 'GET'],
        ['jwks_uri', 'GET'],
        ['revocation_endpoint', 'POST'],
        ['introspection_endpoint', 'POST'],
      ] as const) {
        const served = await answer(await request(res.json[field], { method }));
        assert.ok(![404, 405].includes(served.status), `${field} is served (${served.status})`);
      }
    });

    it('answers the operations it served before as the spec says too', async () => {
      const created = await api('POST', '/oauth2/clients', {
        client_name: 'Spec check',
        grant_types: ['client_credentials', 'authorization_code'],
        scopes: ['openid', 'orders:read'],
        redirect_uris: [CALLBACK],
      });
      assert.equal(created.status, 201);
      const client = check(spec.envelopeOf(spec.OAuth2ClientWithSecret), created.json).result;
      check(spec.envelopeOf(spec.OAuth2Client.array()), (await api('GET', '/oauth2/clients')).json);
      check(spec.envelopeOf(spec.OAuth2Client), (await api('GET', `/oauth2/clients/${client.client_id}`)).json);
      check(
        spec.envelopeOf(spec.OAuth2Client),
        (await api('PATCH', `/oauth2/clients/${client.client_id}`, { client_name: 'Renamed' })).json,
      );
      check(spec.envelopeOf(spec.OAuth2ClientSecretResponse), (await api('PUT', `/oauth2/clients/${client.client_id}/secret`)).json);
      const minted = await api('POST', '/oauth2/tokens/mint', { person_id: ALICE, client_id: WEB, scopes: ['openid', 'offline_access'] });
      check(spec.envelopeOf(spec.MintOAuth2TokensResponse), minted.json);
      const cc = await post('/oauth2/tokens', { grant_type: 'client_credentials' }, [SERVICE, SERVICE_SECRET]);
      check(spec.PostOAuth2TokenResponseClientCredentials, cc.json);
      check(spec.JWKS, (await answer(await request(`${h.emu.url}/.well-known/jwks.json`))).json);
      const container = await h.emu.createSsoLogin({ org_id: ORG, person_id: ALICE, provider: 'okta' });
      const sso = await answer(
        await request(`${h.emu.url}/sso/oidc/tokens`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-Token': container } }),
      );
      check(spec.envelopeOf(spec.SsoOidcTokensGetResponse), sso.json);
      check(spec.ErrorEnvelope, (await api('GET', '/oauth2/clients/0a000000-0000-4000-8000-00000000dead')).json);
      assert.equal((await api('DELETE', `/oauth2/clients/${client.client_id}`)).status, 204);
    });

    it('injects faults on the new routes, in the error envelope', async () => {
      for (const route of [
        'POST /oauth2/tokens/revoke',
        'POST /oauth2/tokens/revoke-all',
        'GET /oauth2/userinfo',
        'POST /oauth2/userinfo',
        'GET /oauth2/clients/:id/ui-configuration',
        'PUT /oauth2/clients/:id/ui-configuration',
        'POST /sso/oidc/tokens/query',
        'POST /sso/oidc/tokens/revoke/v2',
      ]) {
        h.emu.faults.set(route, { status: 503, retryAfter: 2, times: 1 });
        const [method, template] = route.split(' ');
        const p = template.replace(':id', WEB);
        const res = await answer(await request(`${h.emu.url}${p}`, { method: method as 'GET' }));
        assert.equal(res.status, 503, route);
        assert.equal(res.headers['retry-after'], '2');
        check(spec.ErrorEnvelope, res.json);
      }
    });

    it('loses nothing with 200 concurrent authorizations and code exchanges', async () => {
      const results = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const { code, verifier } = await webCode({ scope: 'openid offline_access' });
          const res = await exchange(code, verifier);
          return res.status === 200 ? (res.json.refresh_token as string) : `failed ${res.status}`;
        }),
      );
      assert.deepEqual(
        results.filter((r) => r.startsWith('failed')),
        [],
      );
      assert.equal(new Set(results).size, 200);
      const active = await Promise.all(results.map((t) => introspect(t)));
      assert.ok(active.every(Boolean));
    });
  });
});

describe('emulator OAuth2 state across restarts', () => {
  it('keeps refresh tokens, revocations and UI configurations in the --state file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-emu-oauth-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      let emu = await startEmulator({ seed: SEED, stateFile });
      const port = emu.port;
      const { verifier, challenge } = pkce();
      const auth = await request(
        `${emu.url}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: WEB, redirect_uri: CALLBACK, scope: 'openid offline_access', login_hint: ALICE, code_challenge: challenge, code_challenge_method: 'S256' }).toString()}`,
      );
      await auth.body.dump();
      const code = new URL(String(auth.headers.location)).searchParams.get('code')!;
      const form = async (p: string, params: Record<string, string>): Promise<number> => {
        const res = await request(`${emu.url}${p}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
          body: new URLSearchParams(params).toString(),
        });
        await res.body.dump();
        return res.statusCode;
      };
      const exchanged = await request(`${emu.url}/oauth2/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier }).toString(),
      });
      const tokens = (await exchanged.body.json()) as any;
      const put = await request(`${emu.url}/oauth2/clients/${WEB}/ui-configuration`, {
        method: 'PUT',
        headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ pageTitle: 'Kept', extra: true }),
      });
      await put.body.dump();
      assert.equal(await form('/oauth2/tokens/revoke', { token: tokens.access_token }), 200);
      await emu.close();

      emu = await startEmulator({ seed: SEED, stateFile, port });
      const introspect = async (token: string) => {
        const res = await request(`${emu.url}/oauth2/tokens/introspect`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
          body: new URLSearchParams({ token }).toString(),
        });
        return ((await res.body.json()) as any).active as boolean;
      };
      assert.equal(await introspect(tokens.access_token), false, 'the revocation survived');
      assert.equal(await introspect(tokens.refresh_token), true, 'the refresh token survived');
      const refreshed = await request(`${emu.url}/oauth2/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString(),
      });
      assert.equal(refreshed.statusCode, 200);
      await refreshed.body.dump();
      const config = await request(`${emu.url}/oauth2/clients/${WEB}/ui-configuration`, {
        headers: { 'SlashID-OrgID': ORG, 'SlashID-API-Key': KEY },
      });
      assert.deepEqual(((await config.body.json()) as any).result, { pageTitle: 'Kept', extra: true });
      await emu.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('loses nothing with 200 concurrent code exchanges and refreshes written to the --state file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-emu-oauth-'));
    const stateFile = path.join(dir, 'state.json');
    try {
      let emu = await startEmulator({ seed: SEED, stateFile });
      const port = emu.port;
      const tokenRequest = async (params: Record<string, string>) => {
        const res = await request(`${emu.url}/oauth2/tokens`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
          body: new URLSearchParams(params).toString(),
        });
        const body = (await res.body.json()) as any;
        assert.equal(res.statusCode, 200, JSON.stringify(body));
        return body.refresh_token as string;
      };
      const firsts = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const { verifier, challenge } = pkce();
          const query = new URLSearchParams({
            response_type: 'code',
            client_id: WEB,
            redirect_uri: CALLBACK,
            scope: 'offline_access',
            login_hint: BOB,
            code_challenge: challenge,
            code_challenge_method: 'S256',
          });
          const auth = await request(`${emu.url}/oauth2/authorize?${query.toString()}`);
          await auth.body.dump();
          const code = new URL(String(auth.headers.location)).searchParams.get('code')!;
          return tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK, code_verifier: verifier });
        }),
      );
      const seconds = await Promise.all(firsts.map((t) => tokenRequest({ grant_type: 'refresh_token', refresh_token: t })));
      await emu.close();

      emu = await startEmulator({ seed: SEED, stateFile, port });
      const active = async (token: string) => {
        const res = await request(`${emu.url}/oauth2/tokens/introspect`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
          body: new URLSearchParams({ token }).toString(),
        });
        return ((await res.body.json()) as any).active as boolean;
      };
      assert.deepEqual((await Promise.all(seconds.map(active))).filter((a) => !a).length, 0, 'every new refresh token survived');
      assert.deepEqual((await Promise.all(firsts.map(active))).filter((a) => a).length, 0, 'every used refresh token stayed retired');
      await emu.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
