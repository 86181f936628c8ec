/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their fields (and check them against the spec's schemas). */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { request } from 'undici';
import {
  ALICE,
  answer,
  type Answer,
  basic,
  BOB,
  CALLBACK,
  check,
  NATIVE,
  NO_OIDC,
  oauthHarness,
  ORG,
  pkce,
  SERVICE,
  SERVICE_SECRET,
  STRANGER,
  WEB,
  WEB2,
  WEB2_SECRET,
  WEB_SECRET,
  whileSigning,
} from './emulatorOAuthFixture';
import * as spec from './specSchemas';

/** GET /oauth2/authorize and the authorization_code and refresh_token grants, over loopback (emulatorOAuthFixture.ts has the seed and helpers). */

describe('emulator authorization endpoint and grants (issue 12)', () => {
  const h = oauthHarness();
  const { post, api, authorize, webRequest, webCode, exchange, introspect, expectRedirectError, expectOAuthError, withClock } = h;
  before(() => h.start());
  after(() => h.stop());

  describe('GET /oauth2/authorize', () => {
    it('shows an error page, never a redirect, for a bad client_id or redirect_uri (RFC 6749 §4.1.2.1)', async () => {
      const cases: [string, Record<string, string> | string][] = [
        ['no client_id', { ...webRequest(), client_id: '' }],
        ['unknown client', { ...webRequest(), client_id: '0a000000-0000-4000-8000-00000000dead' }],
        ['no redirect_uri', { ...webRequest(), redirect_uri: '' }],
        ['unregistered redirect_uri', { ...webRequest(), redirect_uri: 'https://evil.example/callback' }],
        ['redirect_uri with another path', { ...webRequest(), redirect_uri: 'https://app.example.com/callback/other' }],
        ['loopback on another path', { ...webRequest(), redirect_uri: 'http://127.0.0.1:5000/other' }],
        ['localhost on another port', { ...webRequest(), redirect_uri: 'http://localhost:3001/cb' }],
        ['client_id twice', `${new URLSearchParams(webRequest()).toString()}&client_id=${WEB}`],
      ];
      // A javascript: redirect URI cannot be registered (redirectUris.test.ts: nor reach a redirect from an older state file).
      const scripted = await api('POST', '/oauth2/clients', {
        client_name: 'Scripted',
        grant_types: ['authorization_code'],
        scopes: ['openid'],
        redirect_uris: ['javascript:alert(document.domain)'],
      });
      assert.equal(scripted.status, 400);
      cases.push(['a javascript: redirect URI', { ...webRequest({ scope: 'openid' }), redirect_uri: 'javascript:alert(document.domain)' }]);
      for (const [name, params] of cases) {
        const res = await authorize(params);
        assert.equal(res.status, 400, name);
        assert.equal(res.location, undefined, `${name}: no redirect`);
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
        assert.match(res.text, /cannot be completed/);
      }
    });

    it('redirects every other error with error, error_description, state and iss', async () => {
      const { challenge } = pkce();
      const cases: [Record<string, string>, string][] = [
        [{ response_type: '' }, 'invalid_request'],
        [{ scope: '' }, 'invalid_request'],
        [{ code_challenge: challenge }, 'invalid_request'], // no method: plain by default, refused
        [{ code_challenge: challenge, code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'short', code_challenge_method: 'S256' }, 'invalid_request'],
        [{ code_challenge_method: 'S256' }, 'invalid_request'],
        [{ response_mode: 'form_post' }, 'invalid_request'],
        [{ prompt: 'bogus' }, 'invalid_request'],
        [{ prompt: 'none login' }, 'invalid_request'],
        [{ max_age: 'soon' }, 'invalid_request'],
        [{ request: 'eyJ...' }, 'request_not_supported'],
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ response_type: 'code token' }, 'unsupported_response_type'],
        [{ response_type: 'id_token' }, 'unsupported_response_type'],
        [{ scope: 'openid admin:all' }, 'invalid_scope'],
        [{ prompt: 'none', login_hint: '' }, 'login_required'],
      ];
      for (const [extra, error] of cases) {
        const params: Record<string, string> = { ...webRequest(), ...extra };
        for (const [name, value] of Object.entries(params)) if (value === '') delete params[name];
        expectRedirectError(await authorize(params), error);
      }
      // A parameter given twice.
      expectRedirectError(await authorize(`${new URLSearchParams(webRequest()).toString()}&scope=openid`), 'invalid_request');
      // A client without the authorization_code grant.
      expectRedirectError(await authorize({ ...webRequest(), client_id: SERVICE, scope: 'orders:read' }), 'unauthorized_client');
      // A public client must use PKCE.
      expectRedirectError(
        await authorize({
          response_type: 'code',
          client_id: NATIVE,
          redirect_uri: 'com.example.app:/cb',
          scope: 'openid',
          state: 'st-1',
          login_hint: ALICE,
        }),
        'invalid_request',
      );
      // state is only sent back when given.
      const { state: _state, ...noState } = webRequest({ scope: 'nope' });
      const res = await authorize(noState);
      assert.equal(res.location!.searchParams.has('state'), false);
    });

    it('answers server_error and temporarily_unavailable by redirect when a fault is injected', async () => {
      for (const [status, error] of [
        [500, 'server_error'],
        [503, 'temporarily_unavailable'],
      ] as const) {
        h.emu.faults.set('GET /oauth2/authorize', { status, times: 1 });
        expectRedirectError(await authorize(webRequest()), error);
      }
      h.emu.faults.set('GET /oauth2/authorize', { status: 500, times: 1 });
      assert.equal(
        (await authorize({ ...webRequest(), redirect_uri: 'https://evil.example/' })).status,
        400,
        'still no redirect to an unknown URI',
      );
      h.emu.faults.clear();
    });

    it('signs in at once with login_hint (person ID or handle) and redirects with code, state and iss', async () => {
      for (const hint of [ALICE, 'email_address:ALICE@example.com', 'phone_number:+15550001111', 'username:alice.w']) {
        const res = await authorize(webRequest({ login_hint: hint }));
        assert.equal(res.status, 302);
        assert.equal(`${res.location!.origin}${res.location!.pathname}`, CALLBACK);
        assert.match(res.location!.searchParams.get('code')!, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(res.location!.searchParams.get('state'), 'st-1');
        assert.equal(res.location!.searchParams.get('iss'), h.emu.url);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      // prompt=none with a hint works too; so do login and consent (every sign-in here is fresh).
      assert.ok((await authorize(webRequest({ prompt: 'none' }))).location!.searchParams.get('code'));
      assert.ok((await authorize(webRequest({ prompt: 'login consent' }))).location!.searchParams.get('code'));
      // select_account shows the page, hint or not.
      const chooser = await authorize(webRequest({ prompt: 'select_account' }));
      assert.equal(chooser.status, 200);
      assert.equal(chooser.location, undefined);
      assert.match(chooser.text, /choose the person to sign in as/);
      // Choosing a person signs in: the link drops the prompt, so it does not show the page again.
      const link = /href="(authorize\?[^"]+)"/.exec(chooser.text)?.[1].replace(/&#38;/g, '&');
      assert.ok(link, 'no person link on the page');
      const chosen = await authorize(link.slice('authorize?'.length));
      assert.equal(chosen.status, 302);
      assert.ok(chosen.location!.searchParams.get('code'), 'no code after choosing a person');
    });

    it('serves the hybrid code id_token response in the fragment, for clients whose response_types allow it', async () => {
      const { challenge } = pkce();
      const res = await authorize(webRequest({ response_type: 'id_token code', code_challenge: challenge, code_challenge_method: 'S256' }));
      assert.equal(res.status, 302);
      assert.equal(res.location!.search, '', 'nothing in the query');
      const params = new URLSearchParams(res.location!.hash.slice(1));
      const code = params.get('code')!;
      assert.ok(code);
      assert.equal(params.get('state'), 'st-1');
      assert.equal(params.get('iss'), h.emu.url);
      const jwks = createLocalJWKSet((await answer(await request(`${h.emu.url}/.well-known/jwks.json`))).json as JSONWebKeySet);
      const id = (await jwtVerify(params.get('id_token')!, jwks, { issuer: h.emu.url, audience: WEB })).payload;
      const half = (value: string) => createHash('sha256').update(value).digest().subarray(0, 16).toString('base64url');
      assert.equal(id.c_hash, half(code));
      assert.equal(id.s_hash, half('st-1'));
      assert.equal(id.nonce, 'n-1');
      assert.equal(id.sub, ALICE);
      // Errors of a hybrid request come back in the fragment too.
      const fragmentError = (r: Answer & { location?: URL }) => new URLSearchParams(r.location!.hash.slice(1));
      const noNonce = await authorize(webRequest({ response_type: 'code id_token', nonce: '' }));
      assert.equal(fragmentError(noNonce).get('error'), 'invalid_request');
      assert.equal(noNonce.location!.searchParams.get('error'), null);
      const query = await authorize(webRequest({ response_type: 'code id_token', response_mode: 'query' }));
      assert.equal(fragmentError(query).get('error'), 'invalid_request');
      // response_mode=fragment (discovery lists query and fragment) moves a plain code there too.
      const codeInFragment = await authorize(webRequest({ response_mode: 'fragment' }));
      assert.equal(codeInFragment.status, 302);
      assert.equal(codeInFragment.location!.search, '');
      const answered = new URLSearchParams(codeInFragment.location!.hash.slice(1));
      assert.ok(answered.get('code'), 'the code in the fragment');
      assert.equal(answered.get('state'), webRequest().state);
      const noOpenid = await authorize(webRequest({ response_type: 'code id_token', scope: 'email' }));
      assert.equal(fragmentError(noOpenid).get('error'), 'invalid_request');
      // A client without openid lists only code among its response_types.
      const { verifier: _v, challenge: nativeChallenge } = pkce();
      const native = await authorize({
        response_type: 'code id_token',
        client_id: NO_OIDC,
        redirect_uri: CALLBACK,
        scope: 'orders:read',
        nonce: 'n',
        login_hint: ALICE,
        code_challenge: nativeChallenge,
        code_challenge_method: 'S256',
      });
      assert.equal(fragmentError(native).get('error'), 'unauthorized_client');
    });

    it('matches a loopback IP redirect URI on any port (RFC 8252 §7.3), and nothing else loosely', async () => {
      for (const uri of ['http://127.0.0.1:1234/cb', 'http://127.0.0.1/cb', 'http://[::1]:65000/cb', 'http://localhost:3000/cb']) {
        const res = await authorize(webRequest({ redirect_uri: uri }));
        assert.equal(res.status, 302, uri);
        assert.ok(res.location!.href.startsWith(uri), uri);
      }
      for (const uri of ['https://127.0.0.1:1234/cb', 'http://127.0.0.1:1234/cb?x=1', 'http://127.0.0.2:1234/cb']) {
        assert.equal((await authorize(webRequest({ redirect_uri: uri }))).status, 400, uri);
      }
    });

    it('serves a sign-in page: strict CSP, no external resources, keyboard-usable links, escaped text', async () => {
      const { login_hint: _hint, ...params } = webRequest();
      const res = await authorize(params);
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/=]+'/);
      assert.match(csp, /form-action 'none'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.doesNotMatch(res.text, /<script|<link|<iframe|src=|url\(|@import/i, 'no script and no external resource');
      assert.match(res.text, /Sign in to Web &#60;App&#62; &#38; &#34;Co&#34;/, 'the client name is escaped');
      assert.ok(!res.text.includes('stranger@example.net'), 'only persons of the client org');
      const links = [...res.text.matchAll(/<a class="person" href="([^"]+)"/g)].map((m) => m[1].replace(/&#38;/g, '&'));
      assert.equal(links.length, 2);
      // Following a person's link (what Enter on the focused link does) signs that person in. The links
      // are relative to the page, so they also work through a forwarding path (code-server's /proxy/P/).
      assert.match(links[0], /^authorize\?/);
      const followed = await answer(await request(new URL(links[0], `${h.emu.url}/oauth2/authorize`).href));
      assert.equal(followed.status, 302);
      const location = new URL(String(followed.headers.location));
      assert.ok(location.searchParams.get('code'));
      assert.equal(location.searchParams.get('state'), 'st-1');
      // The cancel link denies access.
      const cancel = /<a href="([^"]+)">Cancel/.exec(res.text)![1].replace(/&#38;/g, '&');
      const denied = new URL(cancel);
      assert.equal(denied.searchParams.get('error'), 'access_denied');
      assert.equal(denied.searchParams.get('state'), 'st-1');
      assert.equal(denied.searchParams.get('iss'), h.emu.url);
      // A hint naming nobody of the org shows the page with a notice.
      const unknown = await authorize(webRequest({ login_hint: STRANGER }));
      assert.equal(unknown.status, 200);
      assert.match(unknown.text, /No active person of this organization matches the login_hint/);
    });

    it('themes the page with the client UI configuration it can use', async () => {
      const put = await api('PUT', `/oauth2/clients/${WEB}/ui-configuration`, {
        logoUrl: 'https://cdn.example.com/logo.png',
        pageBackgroundColor: '#112233',
        handleTypes: ['phone_number'],
      });
      assert.equal(put.status, 201);
      const { login_hint: _hint, ...params } = webRequest();
      const page = await authorize(params);
      assert.match(page.text, /<img class="logo" src="https:\/\/cdn\.example\.com\/logo\.png"/);
      assert.match(
        String(page.headers['content-security-policy']),
        /img-src https:\/\/cdn\.example\.com(;|$)/,
        'images from the logo origin only',
      );
      assert.match(page.text, /background:#112233/);
      assert.match(page.text, /\+15550001111/);
      assert.ok(!page.text.includes('alice@example.com'), 'only the configured handle types are shown');
      assert.equal((await authorize({ ...params, handle_types: 'email_address' })).text.includes('alice@example.com'), true);
      await api('PUT', `/oauth2/clients/${WEB}/ui-configuration`, {
        logoUrl: 'http://cdn.example.com/logo.png',
        pageBackgroundColor: 'red;}body{display:none',
      });
      const plain = await authorize(params);
      assert.doesNotMatch(plain.text, /<img/, 'an http logo is not shown');
      assert.doesNotMatch(plain.text, /display:none/);
      assert.match(String(plain.headers['content-security-policy']), /img-src 'none'/);
      // A host that would write into the policy (`;` ends a directive) is no logo either.
      await api('PUT', `/oauth2/clients/${WEB}/ui-configuration`, { logoUrl: 'https://cdn.example.com;sandbox/logo.png' });
      const injected = await authorize(params);
      assert.doesNotMatch(injected.text, /<img/);
      assert.doesNotMatch(String(injected.headers['content-security-policy']), /sandbox/);
      await api('PUT', `/oauth2/clients/${WEB}/ui-configuration`, {});
    });

    it('keeps the Host check for the browser-facing page', async () => {
      const http = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: h.emu.port,
            path: `/oauth2/authorize?${new URLSearchParams(webRequest()).toString()}`,
            headers: { Host: 'rebind.example' },
            setHost: false,
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 421);
    });

    it('serves the sign-in page, and nothing else, at an address an editor forwards it at (code-server /proxy/P/)', async () => {
      const http = await import('node:http');
      const forwarded = 'code-server.test:8443';
      const get = (path: string, host: string) =>
        new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port: h.emu.port, path, headers: { Host: host }, setHost: false }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
          });
          req.on('error', reject);
          req.end();
        });
      const page = `/oauth2/authorize?${new URLSearchParams(webRequest({ login_hint: '' })).toString()}`;
      const before = await get(page, forwarded);
      assert.equal(before.status, 421);
      assert.match(before.body, /start the emulator with --browser-host/);

      assert.throws(() => h.emu.allowBrowserHost('http://code-server.test:8443/'), /is not a host:port/);
      assert.throws(() => h.emu.allowBrowserHost('code-server.test/proxy'), /is not a host:port/);
      assert.throws(() => h.emu.allowBrowserHost('code-server.test:70000'), /is not a host:port/);
      h.emu.allowBrowserHost('Code-Server.test:8443');
      const signIn = await get(page, forwarded);
      assert.equal(signIn.status, 200, signIn.body);
      assert.match(signIn.body, /Sign in to/);
      // The browser follows a person's link relative to the page, through the same forwarded address.
      const link = /<a class="person" href="([^"]+)"/.exec(signIn.body)![1].replace(/&#38;/g, '&');
      const proxied = new URL(link, `http://${forwarded}/proxy/${h.emu.port}/oauth2/authorize`);
      assert.equal(proxied.pathname, `/proxy/${h.emu.port}/oauth2/authorize`);
      const signedIn = await get(`${proxied.pathname.replace(`/proxy/${h.emu.port}`, '')}${proxied.search}`, forwarded);
      assert.equal(signedIn.status, 302);
      assert.ok(new URL(signedIn.location!).searchParams.get('code'));

      // Everything else stays on the emulator's own address.
      for (const path of ['/.well-known/openid-configuration', '/.well-known/jwks.json', '/__emulator/demo', '/oauth2/clients']) {
        assert.equal((await get(path, forwarded)).status, 421, path);
      }
      assert.equal((await get(page, 'other.test:8443')).status, 421);
    });
  });

  describe('POST /oauth2/tokens: authorization_code', () => {
    it('exchanges a code for tokens as the spec answers them, with an ID token for openid and a refresh token for offline_access', async () => {
      const { code, verifier } = await webCode();
      const res = await exchange(code, verifier);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['cache-control'], 'no-store');
      const body = check(spec.PostOAuth2TokenResponseAuthorizationCode, res.json);
      assert.equal(body.expires_in, 600);
      assert.equal(body.scope, 'openid offline_access email');
      assert.match(body.refresh_token!, /^sid_rt_[A-Za-z0-9_-]{43}$/);
      const jwks = createLocalJWKSet((await answer(await request(`${h.emu.url}/.well-known/jwks.json`))).json as JSONWebKeySet);
      const access = (await jwtVerify(body.access_token, jwks, { issuer: h.emu.url })).payload;
      assert.deepEqual(Object.keys(access).sort(), [
        'authenticated_methods',
        'client_id',
        'exp',
        'first_token',
        'iat',
        'iss',
        'jti',
        'oid',
        'person_id',
        'scope',
      ]);
      assert.equal(access.person_id, ALICE);
      assert.equal(access.oid, ORG);
      assert.equal(access.client_id, WEB);
      assert.equal(access.scope, 'openid offline_access email');
      const id = (await jwtVerify(body.id_token!, jwks, { issuer: h.emu.url, audience: WEB })).payload;
      assert.equal(id.sub, ALICE);
      assert.equal(id.nonce, 'n-1');
      assert.equal(typeof id.auth_time, 'number');
      assert.ok(Math.abs((id.auth_time as number) - Date.now() / 1000) < 5);
      const digest = createHash('sha256').update(body.access_token).digest();
      assert.equal(id.at_hash, digest.subarray(0, 16).toString('base64url'));
      // Without openid: no ID token; without offline_access: no refresh token.
      const plain = await webCode({ scope: 'email' });
      const plainBody = check(spec.PostOAuth2TokenResponseAuthorizationCode, (await exchange(plain.code, plain.verifier)).json);
      assert.equal(plainBody.id_token, undefined);
      assert.equal(plainBody.refresh_token, undefined);
    });

    it('authenticates confidential clients with Basic or the form, public clients with client_id only', async () => {
      const a = await webCode();
      const form = await post('/oauth2/tokens', {
        grant_type: 'authorization_code',
        code: a.code,
        redirect_uri: CALLBACK,
        code_verifier: a.verifier,
        client_id: WEB,
        client_secret: WEB_SECRET,
      });
      assert.equal(form.status, 200, form.text);
      const { verifier, challenge } = pkce();
      const res = await authorize({
        response_type: 'code',
        client_id: NATIVE,
        redirect_uri: 'com.example.app:/cb',
        scope: 'openid',
        login_hint: BOB,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const code = res.location!.searchParams.get('code')!;
      const pub = await post('/oauth2/tokens', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'com.example.app:/cb',
        code_verifier: verifier,
        client_id: NATIVE,
      });
      assert.equal(pub.status, 200, pub.text);
      assert.equal(decodeJwt(pub.json.id_token).sub, BOB);
    });

    it('answers every RFC 6749 §5.2 error', async () => {
      const a = await webCode();
      expectOAuthError(await post('/oauth2/tokens', { code: a.code }, [WEB, WEB_SECRET]), 400, 'invalid_request');
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'authorization_code', redirect_uri: CALLBACK }, [WEB, WEB_SECRET]),
        400,
        'invalid_request',
      );
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'authorization_code', code: a.code }, [WEB, WEB_SECRET]),
        400,
        'invalid_request',
      );
      expectOAuthError(
        await post(
          '/oauth2/tokens',
          { grant_type: 'authorization_code', code: a.code, redirect_uri: CALLBACK, code_challenge: a.verifier },
          [WEB, WEB_SECRET],
        ),
        400,
        'invalid_request',
      );
      const dup = await answer(
        await request(`${h.emu.url}/oauth2/tokens`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic(WEB, WEB_SECRET) },
          body: `grant_type=authorization_code&code=${a.code}&code=${a.code}&redirect_uri=${encodeURIComponent(CALLBACK)}`,
        }),
      );
      expectOAuthError(dup, 400, 'invalid_request');
      expectOAuthError(
        await exchange(a.code, a.verifier, {}).then(() =>
          post('/oauth2/tokens', { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK }, [WEB, 'wrong']),
        ),
        401,
        'invalid_client',
      );
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_id: WEB }),
        401,
        'invalid_client',
      );
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, client_id: 'nobody' }),
        401,
        'invalid_client',
      );
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'password', username: 'a', password: 'b' }, [WEB, WEB_SECRET]),
        400,
        'unsupported_grant_type',
      );
      expectOAuthError(await post('/oauth2/tokens', { grant_type: 'client_credentials' }, [WEB, WEB_SECRET]), 400, 'unauthorized_client');
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK }, [SERVICE, SERVICE_SECRET]),
        400,
        'unauthorized_client',
      );
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'client_credentials', scope: 'admin' }, [SERVICE, SERVICE_SECRET]),
        400,
        'invalid_scope',
      );
      expectOAuthError(await exchange('not-a-code', undefined), 400, 'invalid_grant');
    });

    it('binds the code to its client, redirect URI and PKCE challenge (invalid_grant), and to 60 seconds', async () => {
      const other = await webCode();
      expectOAuthError(
        await post(
          '/oauth2/tokens',
          { grant_type: 'authorization_code', code: other.code, redirect_uri: CALLBACK, code_verifier: other.verifier },
          [WEB2, WEB2_SECRET],
        ),
        400,
        'invalid_grant',
      );
      const redirect = await webCode();
      expectOAuthError(await exchange(redirect.code, redirect.verifier, { redirect_uri: 'http://127.0.0.1/cb' }), 400, 'invalid_grant');
      const mismatch = await webCode();
      const wrong = await exchange(mismatch.code, pkce().verifier);
      expectOAuthError(wrong, 400, 'invalid_grant');
      assert.match(wrong.json.error_description, /does not match the code_challenge/);
      const missing = await webCode();
      expectOAuthError(await exchange(missing.code, undefined), 400, 'invalid_grant');
      const noChallenge = await webCode({}, false);
      expectOAuthError(await exchange(noChallenge.code, pkce().verifier), 400, 'invalid_grant');
      const confidentialWithoutPkce = await webCode({}, false);
      assert.equal((await exchange(confidentialWithoutPkce.code, undefined)).status, 200, 'PKCE is optional for confidential clients');
      const late = await webCode();
      const expired = await withClock(61_000, () => exchange(late.code, late.verifier));
      expectOAuthError(expired, 400, 'invalid_grant');
      assert.match(expired.json.error_description, /expired/);
    });

    it('refuses a reused code and revokes what it issued', async () => {
      const { code, verifier } = await webCode();
      const first = await exchange(code, verifier);
      assert.equal(first.status, 200);
      assert.equal(await introspect(first.json.access_token), true);
      const again = await exchange(code, verifier);
      expectOAuthError(again, 400, 'invalid_grant');
      assert.match(again.json.error_description, /already used/);
      assert.equal(await introspect(first.json.access_token), false);
      assert.equal(await introspect(first.json.refresh_token), false);
      expectOAuthError(
        await post('/oauth2/tokens', { grant_type: 'refresh_token', refresh_token: first.json.refresh_token }, [WEB, WEB_SECRET]),
        400,
        'invalid_grant',
      );
    });

    it('forgets a code one lifetime after it expired: a replay is then an unknown code', async () => {
      const { code, verifier } = await webCode();
      assert.equal((await exchange(code, verifier)).status, 200);
      // Two lifetimes on, the next authorization sweeps it (until then a replay is caught as a reuse).
      const later = await withClock(121_000, async () => {
        await webCode();
        return exchange(code, verifier);
      });
      expectOAuthError(later, 400, 'invalid_grant');
      assert.match(later.json.error_description, /not valid for this client/);
      // A live code made then survives the next sweep, which stops at it.
      await withClock(121_000, async () => {
        const live = await webCode();
        await webCode();
        assert.equal((await exchange(live.code, live.verifier)).status, 200);
      });
    });

    const revokeAllOfAlice = async () =>
      assert.equal((await post('/oauth2/tokens/revoke-all', { person_id: ALICE }, [WEB, WEB_SECRET])).status, 200);

    it('leaves no token active when the code is replayed while its first exchange is signing', async () => {
      const { code, verifier } = await webCode();
      const answered = await whileSigning(
        () => exchange(code, verifier),
        async () => {
          const replay = await exchange(code, verifier);
          expectOAuthError(replay, 400, 'invalid_grant');
          assert.match(replay.json.error_description, /already used/);
        },
      );
      expectOAuthError(answered, 400, 'invalid_grant');
      assert.match(answered.json.error_description, /revoked while these tokens were issued/);
    });

    it('leaves no token active when a revoke-all for the person comes while an exchange is signing', async () => {
      const { code, verifier } = await webCode();
      const answered = await whileSigning(() => exchange(code, verifier), revokeAllOfAlice);
      expectOAuthError(answered, 400, 'invalid_grant');
      assert.match(answered.json.error_description, /revoked \(revoke-all\) while these were issued/);
      // Tokens asked for after the revoke-all are issued as usual.
      const after = await webCode();
      assert.equal((await exchange(after.code, after.verifier)).status, 200);
    });

    it('mints nothing when a revoke-all for the person comes while the mint is signing', async () => {
      const answered = await whileSigning(
        () => api('POST', '/oauth2/tokens/mint', { person_id: ALICE, client_id: WEB, scopes: ['openid', 'offline_access'] }),
        revokeAllOfAlice,
      );
      assert.equal(answered.status, 400);
      check(spec.ErrorEnvelope, answered.json);
      assert.match(answered.json.errors[0].message, /revoked \(revoke-all\) while these were minted; mint again/);
    });
  });

  describe('POST /oauth2/tokens: refresh_token', () => {
    async function tokens(scope = 'openid offline_access email'): Promise<any> {
      const { code, verifier } = await webCode({ scope });
      return (await exchange(code, verifier)).json;
    }
    const refresh = (token: string, extra: Record<string, string> = {}, auth: [string, string] = [WEB, WEB_SECRET]) =>
      post('/oauth2/tokens', { grant_type: 'refresh_token', refresh_token: token, ...extra }, auth);

    it('rotates refresh tokens, narrows scope on request and never widens it', async () => {
      const first = await tokens();
      const narrowed = await refresh(first.refresh_token, { scope: 'offline_access email' });
      assert.equal(narrowed.status, 200, narrowed.text);
      const body = check(spec.PostOAuth2TokenResponseRefreshToken, narrowed.json);
      assert.equal(body.scope, 'offline_access email');
      assert.equal(body.id_token, undefined, 'no openid, no ID token');
      assert.notEqual(body.refresh_token, first.refresh_token);
      // The new refresh token keeps the grant's original scope: openid may come back.
      const back = await refresh(body.refresh_token!, { scope: 'openid email' });
      assert.equal(back.status, 200, back.text);
      assert.equal(decodeJwt(back.json.id_token).sub, ALICE);
      expectOAuthError(await refresh(back.json.refresh_token, { scope: 'openid orders:read' }), 400, 'invalid_scope');
    });

    it('refuses a used (rotated) refresh token and revokes the whole grant', async () => {
      const first = await tokens();
      const second = (await refresh(first.refresh_token)).json;
      assert.equal(await introspect(second.access_token), true);
      expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant');
      assert.equal(await introspect(second.access_token), false);
      expectOAuthError(await refresh(second.refresh_token), 400, 'invalid_grant');
    });

    it('leaves no token of the grant active when the refresh token is replayed while its first refresh is signing', async () => {
      const first = await tokens();
      const answered = await whileSigning(
        () => refresh(first.refresh_token),
        async () => expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant'),
      );
      expectOAuthError(answered, 400, 'invalid_grant');
      assert.equal(await introspect(first.access_token), false, "the grant's first access token");
      assert.equal(await introspect(first.refresh_token), false);
    });

    it('refuses a refresh token after revocation, of another client, unknown, or expired', async () => {
      const first = await tokens();
      assert.equal(
        (await post('/oauth2/tokens/revoke', { token: first.refresh_token, token_type_hint: 'refresh_token' }, [WEB, WEB_SECRET])).status,
        200,
      );
      expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant');
      assert.equal(await introspect(first.access_token), false, 'revoking the refresh token revokes its grant');
      const second = await tokens();
      expectOAuthError(await refresh(second.refresh_token, {}, [WEB2, WEB2_SECRET]), 400, 'invalid_grant');
      expectOAuthError(await refresh('sid_rt_unknown'), 400, 'invalid_grant');
      expectOAuthError(await post('/oauth2/tokens', { grant_type: 'refresh_token' }, [WEB, WEB_SECRET]), 400, 'invalid_request');
      const expired = await withClock(864_001_000, () => refresh(second.refresh_token));
      expectOAuthError(expired, 400, 'invalid_grant');
    });

    it('refreshes a refresh token from mint', async () => {
      const minted = await api('POST', '/oauth2/tokens/mint', { person_id: BOB, client_id: WEB, scopes: ['openid', 'offline_access'] });
      assert.equal(minted.status, 200);
      const res = await refresh(minted.json.result.refresh_token);
      assert.equal(res.status, 200, res.text);
      assert.equal(decodeJwt(res.json.access_token).person_id, BOB);
    });
  });
});
