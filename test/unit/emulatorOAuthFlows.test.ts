/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   The tests read JSON answers and assert their fields (and check them against the spec's schemas). */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { request } from 'undici';
import type { z } from 'zod';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import * as spec from './specSchemas';

const ORG = '0a000000-0000-4000-8000-000000000001';
const OTHER_ORG = '0a000000-0000-4000-8000-000000000002';
const KEY = 'flows-admin-key';
const MEMBER_KEY = 'flows-member-key';
const ALICE = '0a000000-0000-4000-8000-0000000000a1';
const BOB = '0a000000-0000-4000-8000-0000000000b0';
const STRANGER = '0a000000-0000-4000-8000-0000000000f0';
const WEB = '0a000000-0000-4000-8000-0000000000c1';
const WEB_SECRET = 'web+secret/with=chars';
const NATIVE = '0a000000-0000-4000-8000-0000000000c2';
const SERVICE = '0a000000-0000-4000-8000-0000000000c3';
const SERVICE_SECRET = 'service-secret';
const WEB2 = '0a000000-0000-4000-8000-0000000000c4';
const WEB2_SECRET = 'web2-secret';
const CALLBACK = 'https://app.example.com/callback';
const NO_OIDC = '0a000000-0000-4000-8000-0000000000c5';

const SEED: EmulatorSeed = {
  orgs: [
    { id: ORG, api_key: KEY },
    { id: ORG, api_key: MEMBER_KEY, role: 'member' },
    { id: OTHER_ORG, api_key: 'other-key' },
  ],
  persons: [
    {
      person_id: ALICE,
      org_id: ORG,
      handles: [
        { type: 'email_address', value: 'alice@example.com' },
        { type: 'phone_number', value: '+15550001111' },
      ],
      roles: ['admin'],
    },
    { person_id: BOB, org_id: ORG, handles: [{ type: 'email_address', value: 'bob@example.org' }], roles: ['viewer'] },
    { person_id: STRANGER, org_id: OTHER_ORG, handles: [{ type: 'email_address', value: 'stranger@example.net' }] },
  ],
  clients: [
    {
      client_id: WEB,
      client_secret: WEB_SECRET,
      org_id: ORG,
      client_name: 'Web <App> & "Co"',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access', 'email', 'phone', 'orders:read'],
      redirect_uris: [CALLBACK, 'http://127.0.0.1/cb', 'http://[::1]/cb', 'http://localhost:3000/cb'],
      access_token_duration: 600,
    },
    {
      client_id: NATIVE,
      org_id: ORG,
      client_name: 'Native',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      redirect_uris: ['com.example.app:/cb'],
    },
    {
      client_id: SERVICE,
      client_secret: SERVICE_SECRET,
      org_id: ORG,
      client_name: 'Service',
      grant_types: ['client_credentials'],
      scopes: ['orders:read'],
      redirect_uris: [CALLBACK],
    },
    {
      client_id: WEB2,
      client_secret: WEB2_SECRET,
      org_id: ORG,
      client_name: 'Second web app',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      redirect_uris: [CALLBACK],
    },
    {
      client_id: NO_OIDC,
      client_secret: 'no-oidc-secret',
      org_id: ORG,
      client_name: 'OAuth only',
      grant_types: ['authorization_code'],
      scopes: ['orders:read'],
      redirect_uris: [CALLBACK],
    },
  ],
};

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

async function answer(res: Awaited<ReturnType<typeof request>>): Promise<Answer> {
  const text = await res.body.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

function check<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  assert.ok(parsed.success, `not as the spec says: ${parsed.success ? '' : parsed.error.message} in ${JSON.stringify(value)}`);
  return parsed.data;
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('emulator OAuth2 and OIDC flows (issue 12)', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ seed: SEED });
  });
  after(async () => {
    await emu.close();
  });

  async function post(p: string, params: Record<string, string>, auth?: [string, string]): Promise<Answer> {
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
    if (auth) headers.Authorization = basic(auth[0], auth[1]);
    return answer(await request(`${emu.url}${p}`, { method: 'POST', headers, body: new URLSearchParams(params).toString() }));
  }

  async function api(method: string, p: string, body?: unknown, key = KEY, org = ORG): Promise<Answer> {
    const headers: Record<string, string> = { 'SlashID-OrgID': org, 'SlashID-API-Key': key };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return answer(
      await request(`${emu.url}${p}`, { method: method as 'GET', headers, body: body === undefined ? undefined : JSON.stringify(body) }),
    );
  }

  /** GET /oauth2/authorize with these parameters (not following redirects). */
  async function authorize(params: Record<string, string> | string): Promise<Answer & { location?: URL }> {
    const query = typeof params === 'string' ? params : new URLSearchParams(params).toString();
    const a = await answer(await request(`${emu.url}/oauth2/authorize?${query}`));
    const location = typeof a.headers.location === 'string' ? new URL(a.headers.location) : undefined;
    return { ...a, ...(location ? { location } : {}) };
  }

  const webRequest = (extra: Record<string, string> = {}) => ({
    response_type: 'code',
    client_id: WEB,
    redirect_uri: CALLBACK,
    scope: 'openid offline_access email',
    state: 'st-1',
    nonce: 'n-1',
    login_hint: ALICE,
    ...extra,
  });

  /** A code for WEB (with PKCE unless `withPkce` is false). */
  async function webCode(extra: Record<string, string> = {}, withPkce = true): Promise<{ code: string; verifier: string }> {
    const { verifier, challenge } = pkce();
    const res = await authorize(webRequest(withPkce ? { code_challenge: challenge, code_challenge_method: 'S256', ...extra } : extra));
    assert.equal(res.status, 302, res.text);
    const code = res.location!.searchParams.get('code');
    assert.ok(code, `no code in ${res.location!.href}`);
    return { code, verifier };
  }

  async function exchange(code: string, verifier: string | undefined, extra: Record<string, string> = {}): Promise<Answer> {
    return post(
      '/oauth2/tokens',
      { grant_type: 'authorization_code', code, redirect_uri: CALLBACK, ...(verifier ? { code_verifier: verifier } : {}), ...extra },
      [WEB, WEB_SECRET],
    );
  }

  async function introspect(token: string, extra: Record<string, string> = {}): Promise<boolean> {
    const res = await post('/oauth2/tokens/introspect', { token, ...extra }, [WEB, WEB_SECRET]);
    assert.equal(res.status, 200);
    return check(spec.IntrospectOAuth2TokenResponse, res.json).active;
  }

  function expectRedirectError(res: Answer & { location?: URL }, error: string, state = 'st-1'): void {
    assert.equal(res.status, 302, res.text);
    const params = res.location!.searchParams;
    assert.equal(params.get('error'), error, res.location!.href);
    assert.ok((params.get('error_description') ?? '').length > 0);
    assert.equal(params.get('state'), state);
    assert.equal(params.get('iss'), emu.url);
    assert.equal(params.get('code'), null);
  }

  function expectOAuthError(res: Answer, status: number, error: string): void {
    assert.equal(res.status, status, res.text);
    check(spec.OAuthErrorBody, res.json);
    assert.equal(res.json.error, error, res.text);
    assert.equal(res.headers['cache-control'], 'no-store');
    if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Basic /);
  }

  async function withClock<T>(offsetMs: number, run: () => Promise<T>): Promise<T> {
    const realNow = Date.now;
    Date.now = () => realNow() + offsetMs;
    try {
      return await run();
    } finally {
      Date.now = realNow;
    }
  }

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
      const scripted = await api('POST', '/oauth2/clients', {
        client_name: 'Scripted',
        grant_types: ['authorization_code'],
        scopes: ['openid'],
        redirect_uris: ['javascript:alert(document.domain)'],
      });
      assert.equal(scripted.status, 201);
      cases.push([
        'a registered javascript: redirect URI',
        {
          ...webRequest({ scope: 'openid' }),
          client_id: scripted.json.result.client_id,
          redirect_uri: 'javascript:alert(document.domain)',
        },
      ]);
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
        [{ response_mode: 'fragment' }, 'invalid_request'],
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
        emu.faults.set('GET /oauth2/authorize', { status, times: 1 });
        expectRedirectError(await authorize(webRequest()), error);
      }
      emu.faults.set('GET /oauth2/authorize', { status: 500, times: 1 });
      assert.equal(
        (await authorize({ ...webRequest(), redirect_uri: 'https://evil.example/' })).status,
        400,
        'still no redirect to an unknown URI',
      );
      emu.faults.clear();
    });

    it('signs in at once with login_hint (person ID or handle) and redirects with code, state and iss', async () => {
      for (const hint of [ALICE, 'email_address:ALICE@example.com', 'phone_number:+15550001111']) {
        const res = await authorize(webRequest({ login_hint: hint }));
        assert.equal(res.status, 302);
        assert.equal(`${res.location!.origin}${res.location!.pathname}`, CALLBACK);
        assert.match(res.location!.searchParams.get('code')!, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(res.location!.searchParams.get('state'), 'st-1');
        assert.equal(res.location!.searchParams.get('iss'), emu.url);
        assert.equal(res.headers['cache-control'], 'no-store');
      }
      // prompt=none with a hint works too.
      assert.ok((await authorize(webRequest({ prompt: 'none' }))).location!.searchParams.get('code'));
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
      assert.equal(params.get('iss'), emu.url);
      const jwks = createLocalJWKSet((await answer(await request(`${emu.url}/.well-known/jwks.json`))).json as JSONWebKeySet);
      const id = (await jwtVerify(params.get('id_token')!, jwks, { issuer: emu.url, audience: WEB })).payload;
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
      // Following a person's link (what Enter on the focused link does) signs that person in.
      const followed = await answer(await request(`${emu.url}${links[0]}`));
      assert.equal(followed.status, 302);
      const location = new URL(String(followed.headers.location));
      assert.ok(location.searchParams.get('code'));
      assert.equal(location.searchParams.get('state'), 'st-1');
      // The cancel link denies access.
      const cancel = /<a href="([^"]+)">Cancel/.exec(res.text)![1].replace(/&#38;/g, '&');
      const denied = new URL(cancel);
      assert.equal(denied.searchParams.get('error'), 'access_denied');
      assert.equal(denied.searchParams.get('state'), 'st-1');
      assert.equal(denied.searchParams.get('iss'), emu.url);
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
      assert.match(String(page.headers['content-security-policy']), /img-src https:/);
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
      await api('PUT', `/oauth2/clients/${WEB}/ui-configuration`, {});
    });

    it('keeps the Host check for the browser-facing page', async () => {
      const http = await import('node:http');
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: emu.port,
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
      const jwks = createLocalJWKSet((await answer(await request(`${emu.url}/.well-known/jwks.json`))).json as JSONWebKeySet);
      const access = (await jwtVerify(body.access_token, jwks, { issuer: emu.url })).payload;
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
      const id = (await jwtVerify(body.id_token!, jwks, { issuer: emu.url, audience: WEB })).payload;
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
        await request(`${emu.url}/oauth2/tokens`, {
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
      const get = await answer(await request(`${emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } }));
      assert.equal(get.status, 200);
      assert.deepEqual(check(spec.UserinfoOAuth2Response, get.json), {
        sub: ALICE,
        iss: emu.url,
        aud: WEB,
        org_id: ORG,
        phone_number: '+15550001111',
        phone_number_verified: true,
      });
      const postHeader = await answer(
        await request(`${emu.url}/oauth2/userinfo`, { method: 'POST', headers: { Authorization: `Bearer ${t.access_token}` } }),
      );
      assert.deepEqual(postHeader.json, get.json);
      const postForm = await post('/oauth2/userinfo', { access_token: t.access_token });
      assert.deepEqual(postForm.json, get.json);
    });

    it('answers 401 with WWW-Authenticate without a valid access token, 403 insufficient_scope without openid', async () => {
      const noToken = await answer(await request(`${emu.url}/oauth2/userinfo`));
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
        const res = await answer(await request(`${emu.url}/oauth2/userinfo`, { headers: { Authorization: header } }));
        assert.equal(res.status, 401, name);
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="SlashID emulator", error="invalid_(token|request)"/, name);
      }
      await post('/oauth2/tokens/revoke', { token: t.access_token }, [WEB, WEB_SECRET]);
      const revoked = await answer(await request(`${emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${t.access_token}` } }));
      assert.equal(revoked.status, 401);
      const noOpenid = await webCode({ scope: 'email' });
      const emailOnly = (await exchange(noOpenid.code, noOpenid.verifier)).json;
      const forbidden = await answer(
        await request(`${emu.url}/oauth2/userinfo`, { headers: { Authorization: `Bearer ${emailOnly.access_token}` } }),
      );
      assert.equal(forbidden.status, 403);
      assert.match(String(forbidden.headers['www-authenticate']), /error="insufficient_scope"/);
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
        await request(`${emu.url}/oauth2/clients/${WEB2}/ui-configuration`, {
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
      const first = decodeJwt(await emu.createSsoLogin({ org_id: ORG, person_id: BOB, provider: 'google' })).jti as string;
      const second = decodeJwt(await emu.createSsoLogin({ org_id: ORG, person_id: BOB, provider: 'github' })).jti as string;
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
      const res = await answer(await request(`${emu.url}/.well-known/openid-configuration`));
      const config = check(spec.OpenIDConfig, res.json);
      assert.equal(config.authorization_endpoint, `${emu.url}/oauth2/authorize`);
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
      check(spec.JWKS, (await answer(await request(`${emu.url}/.well-known/jwks.json`))).json);
      const container = await emu.createSsoLogin({ org_id: ORG, person_id: ALICE, provider: 'okta' });
      const sso = await answer(
        await request(`${emu.url}/sso/oidc/tokens`, { headers: { 'SlashID-OrgID': ORG, 'SlashID-Token': container } }),
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
        'POST /sso/oidc/tokens/query',
      ]) {
        emu.faults.set(route, { status: 503, retryAfter: 2, times: 1 });
        const [method, p] = route.split(' ');
        const res = await answer(await request(`${emu.url}${p}`, { method: method as 'GET' }));
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
