/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-explicit-any --
   The helpers read JSON answers for the tests, which assert their fields. */
/**
 * What the OAuth2 suites of the emulator share (emulatorAuthorize.test.ts, emulatorOAuthOperations.test.ts):
 * the seed (an org with persons and clients of every kind), raw HTTP helpers over loopback, and the
 * assertions of RFC 6749 error answers. `oauthHarness()` starts one emulator per suite.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request } from 'undici';
import type { z } from 'zod';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { SigningKey } from '../../emulator/signingKey';
import * as spec from './specSchemas';

export const ORG = '0a000000-0000-4000-8000-000000000001';
export const OTHER_ORG = '0a000000-0000-4000-8000-000000000002';
export const KEY = 'flows-admin-key';
export const MEMBER_KEY = 'flows-member-key';
export const ALICE = '0a000000-0000-4000-8000-0000000000a1';
export const BOB = '0a000000-0000-4000-8000-0000000000b0';
export const STRANGER = '0a000000-0000-4000-8000-0000000000f0';
export const WEB = '0a000000-0000-4000-8000-0000000000c1';
export const WEB_SECRET = 'web+secret/with=chars';
export const NATIVE = '0a000000-0000-4000-8000-0000000000c2';
export const SERVICE = '0a000000-0000-4000-8000-0000000000c3';
export const SERVICE_SECRET = 'service-secret';
export const WEB2 = '0a000000-0000-4000-8000-0000000000c4';
export const WEB2_SECRET = 'web2-secret';
export const CALLBACK = 'https://app.example.com/callback';
export const NO_OIDC = '0a000000-0000-4000-8000-0000000000c5';

export const SEED: EmulatorSeed = {
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
        { type: 'username', value: 'alice.w' },
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
      scopes: ['openid', 'offline_access', 'email', 'phone', 'username', 'orders:read'],
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

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function answer(res: Awaited<ReturnType<typeof request>>): Promise<Answer> {
  const text = await res.body.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function check<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  assert.ok(parsed.success, `not as the spec says: ${parsed.success ? '' : parsed.error.message} in ${JSON.stringify(value)}`);
  return parsed.data;
}

/**
 * Holds the next RS256 signature the in-process emulator makes until `release()`: the request making it
 * is then mid-issuance, and a test sends another one against it (a replay, a revoke-all) at a known
 * moment instead of hoping two requests overlap. `restore()` puts the real signing back.
 */
function holdNextSignature(): { signing: Promise<void>; release(): void; restore(): void } {
  const realSign = Object.getOwnPropertyDescriptor(SigningKey.prototype, 'sign')!.value as SigningKey['sign'];
  let entered!: () => void;
  const signing = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  SigningKey.prototype.sign = async function (this: SigningKey, ...args: Parameters<SigningKey['sign']>): Promise<string> {
    if (!held) {
      held = true;
      entered();
      await gate;
    }
    return realSign.apply(this, args);
  };
  return { signing, release, restore: () => (SigningKey.prototype.sign = realSign) };
}

/**
 * Starts a request, waits until it is signing its first token, runs `meanwhile` (a replay, a revoke-all),
 * then lets the signing go on: the request's answer.
 */
export async function whileSigning<T>(start: () => Promise<T>, meanwhile: () => Promise<void>): Promise<T> {
  const hold = holdNextSignature();
  try {
    const started = start();
    await hold.signing;
    await meanwhile();
    hold.release();
    return await started;
  } finally {
    hold.restore();
  }
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** One emulator with SEED for a suite, and the helpers that talk to it. Call `start()` in `before`, `stop()` in `after`. */
export function oauthHarness() {
  let emu!: Emulator;
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

  return {
    get emu(): Emulator {
      return emu;
    },
    start: async (): Promise<void> => {
      emu = await startEmulator({ seed: SEED });
    },
    stop: (): Promise<void> => emu.close(),
    post,
    api,
    authorize,
    webRequest,
    webCode,
    exchange,
    introspect,
    expectRedirectError,
    expectOAuthError,
    withClock,
  };
}
