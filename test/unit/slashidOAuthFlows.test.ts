/**
 * Issue 12, the API-client side: the requests of the new operations as a server receives them (a
 * capturing node:http server on loopback), their answers checked with the spec's schemas, and the SCIM
 * filter of the person search. Public clients never send a secret or a Basic header.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { SlashIdClient } from '../../src/slashid/client';
import { createPkce, pkceChallenge } from '../../src/slashid/authorization';
import { OAuthError, RequestValidationError, SlashIdApiError, describeError } from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { personSearchFilter } from '../../src/slashid/personSearch';
import { OAuthTokenResponseSchema, OpenIDConfigSchema, UserinfoResponseSchema } from '../../src/slashid/schemas';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

const ORG = 'aaaaaaaa-0000-4000-8000-00000000beef';
const KEY = 'oauth-flows-api-key-51d2';
const CLIENT = 'client-flows-1';
const SECRET = 'flows+secret/with=signs';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('slashid: OAuth flows, hosted UI and SSO tokens (issue 12, client side)', function () {
  this.timeout(20_000);
  let server: LoopbackServer;
  let base: string;
  let pools: PoolRegistry;
  let seen: Seen[] = [];
  let reply: (req: Seen) => { status: number; body?: unknown; headers?: Record<string, string> } = () => ({ status: 200 });

  before(async () => {
    server = await startLoopbackServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const entry: Seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
        seen.push(entry);
        const answer = reply(entry);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    base = server.url;
    pools = new PoolRegistry();
  });
  after(async () => {
    await pools.close();
    await server.close();
  });
  beforeEach(() => {
    seen = [];
  });

  const api = () => new SlashIdClient({ baseUrl: base, orgId: ORG, apiKey: () => KEY, pools, retry: { attempts: 1 } });
  const form = (s: Seen) => Object.fromEntries(new URLSearchParams(s.body));
  const basicOf = (s: Seen) => Buffer.from(String(s.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
  const TOKENS = {
    access_token: 'at-1',
    token_type: 'bearer',
    expires_in: 3600,
    scope: 'openid offline_access',
    refresh_token: 'rt-1',
    id_token: 'id-1',
  };

  async function rejects<E>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof type, `expected ${type.name}, got ${String(err)}`);
      return err;
    }
    return assert.fail('resolved');
  }

  describe('authorization-code exchange and refresh', () => {
    it('a public client sends client_id and the PKCE verifier, never a secret or a Basic header', async () => {
      reply = () => ({ status: 200, body: TOKENS });
      const { codeVerifier } = createPkce();
      const tokens = await api().exchangeAuthorizationCode({
        client: { clientId: CLIENT },
        code: 'code-1',
        redirectUri: 'http://127.0.0.1:9/cb',
        codeVerifier,
      });
      assert.deepEqual(tokens, TOKENS);
      const [request] = seen;
      assert.equal(request.path, '/oauth2/tokens');
      assert.equal(request.headers.authorization, undefined);
      assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(form(request), {
        grant_type: 'authorization_code',
        code: 'code-1',
        redirect_uri: 'http://127.0.0.1:9/cb',
        code_verifier: codeVerifier,
        client_id: CLIENT,
      });

      await api().refreshTokens({ client: { clientId: CLIENT }, refreshToken: 'rt-1', scopes: ['openid'] });
      assert.equal(seen[1].headers.authorization, undefined);
      assert.deepEqual(form(seen[1]), { grant_type: 'refresh_token', refresh_token: 'rt-1', scope: 'openid', client_id: CLIENT });
      assert.ok(!seen.some((s) => s.body.includes('client_secret')));
    });

    it('a confidential client authenticates with HTTP Basic (client_id in the body too for the code, as the spec asks)', async () => {
      reply = () => ({ status: 200, body: TOKENS });
      await api().exchangeAuthorizationCode({
        client: { clientId: CLIENT, clientSecret: SECRET },
        code: 'c',
        redirectUri: 'https://app/cb',
      });
      assert.equal(basicOf(seen[0]), `${CLIENT}:${encodeURIComponent(SECRET).replace(/%20/g, '+')}`);
      assert.equal(form(seen[0]).client_id, CLIENT);
      assert.equal(form(seen[0]).client_secret, undefined);
      await api().refreshTokens({ client: { clientId: CLIENT, clientSecret: SECRET }, refreshToken: 'rt' });
      assert.ok(seen[1].headers.authorization?.startsWith('Basic '));
      assert.deepEqual(form(seen[1]), { grant_type: 'refresh_token', refresh_token: 'rt' });
    });

    it('refuses before sending: a public client without PKCE, a bad verifier, a blank secret', async () => {
      const client = api();
      const e1 = await rejects(
        client.exchangeAuthorizationCode({ client: { clientId: CLIENT }, code: 'c', redirectUri: 'https://a/cb' }),
        RequestValidationError,
      );
      assert.match(describeError(e1), /code_verifier is required for a public client \(PKCE\)/);
      const e2 = await rejects(
        client.exchangeAuthorizationCode({ client: { clientId: CLIENT }, code: 'c', redirectUri: 'https://a/cb', codeVerifier: 'short' }),
        RequestValidationError,
      );
      assert.match(describeError(e2), /code_verifier must be 43 to 128 characters/);
      await rejects(client.refreshTokens({ client: { clientId: CLIENT, clientSecret: ' ' }, refreshToken: 'rt' }), RequestValidationError);
      assert.equal(seen.length, 0);
    });

    it('invalid_grant is one sentence, with the code and verifier scrubbed from what the server echoes', async () => {
      const { codeVerifier } = createPkce();
      reply = (s) => ({
        status: 400,
        body: { error: 'invalid_grant', error_description: `code ${form(s).code} with ${form(s).code_verifier} was used` },
      });
      const err = await rejects(
        api().exchangeAuthorizationCode({
          client: { clientId: CLIENT },
          code: 'secret-code-value',
          redirectUri: 'https://a/cb',
          codeVerifier,
        }),
        OAuthError,
      );
      const sentence = describeError(err);
      assert.match(
        sentence,
        /^Exchanging the authorization code of client client-flows-1 failed: SlashID rejected the grant \(400 invalid_grant: /,
      );
      assert.ok(!sentence.includes('secret-code-value') && !sentence.includes(codeVerifier), sentence);
    });

    it('the answer is checked against PostOAuth2TokenResponse*', async () => {
      reply = () => ({ status: 200, body: { access_token: 'a', token_type: 'bearer', expires_in: 1.5 } });
      await assert.rejects(api().refreshTokens({ client: { clientId: CLIENT }, refreshToken: 'rt' }), /expires_in/);
      assert.equal(OAuthTokenResponseSchema.safeParse({ access_token: 'a', token_type: 'bearer' }).success, false);
    });
  });

  describe('revocation', () => {
    it('revokes one token (RFC 7009) as a public or a confidential client', async () => {
      reply = () => ({ status: 200 });
      assert.equal(await api().revokeToken({ client: { clientId: CLIENT }, token: 'rt-9', tokenTypeHint: 'refresh_token' }), undefined);
      assert.deepEqual(form(seen[0]), { token: 'rt-9', token_type_hint: 'refresh_token', client_id: CLIENT });
      assert.equal(seen[0].headers.authorization, undefined);
      await api().revokeToken({ client: { clientId: CLIENT, clientSecret: SECRET }, token: 'at-9' });
      assert.equal(seen[1].path, '/oauth2/tokens/revoke');
      assert.deepEqual(form(seen[1]), { token: 'at-9' });
      assert.ok(seen[1].headers.authorization?.startsWith('Basic '));
    });

    it("revokes all of a person's tokens until an instant; needs the client secret", async () => {
      reply = () => ({ status: 200 });
      const until = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
      await api().revokeAllTokens({ client: { clientId: CLIENT, clientSecret: SECRET }, personId: 'p-1', until });
      assert.equal(seen[0].path, '/oauth2/tokens/revoke-all');
      assert.deepEqual(form(seen[0]), { person_id: 'p-1', until: '2030-01-02T03:04:05.000Z' });
      const err = await rejects(api().revokeAllTokens({ client: { clientId: CLIENT }, personId: 'p-1' }), RequestValidationError);
      assert.match(describeError(err), /client_secret is required/);
      for (const bad of ['soon', '2026-01-01', '2026-01-01 12:00:00Z', '2026-01-01T12:00:00']) {
        const refused = await rejects(
          api().revokeAllTokens({ client: { clientId: CLIENT, clientSecret: SECRET }, personId: 'p', until: bad }),
          RequestValidationError,
        );
        assert.match(describeError(refused), /until must be an RFC 3339 date-time/, bad);
      }
      await api().revokeAllTokens({
        client: { clientId: CLIENT, clientSecret: SECRET },
        personId: 'p',
        until: '2030-01-02T03:04:05+02:00',
      });
      assert.equal(seen.length, 2, 'only the RFC 3339 forms are sent');
    });
  });

  describe('userinfo', () => {
    it('sends the access token as Bearer (GET or POST) and checks UserinfoOAuth2Response', async () => {
      const info = { sub: 'p-1', iss: base, aud: CLIENT, org_id: ORG, email: 'a@example.com', email_verified: true };
      reply = () => ({ status: 200, body: info });
      assert.deepEqual(await api().getUserinfo('access-token-1'), info);
      assert.equal(seen[0].headers.authorization, 'Bearer access-token-1');
      assert.equal(seen[0].headers['slashid-api-key'], undefined, 'no API key on userinfo');
      await api().getUserinfo('access-token-1', 'POST');
      assert.equal(seen[1].method, 'POST');
      assert.equal(UserinfoResponseSchema.safeParse({ sub: 'p', iss: 'i', aud: 'a' }).success, false, 'org_id is required');
    });

    it('a rejected token is a sentence about the token, not the API key, and never quotes it', async () => {
      reply = () => ({
        status: 401,
        body: { errors: [{ message: 'invalid token' }] },
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
      const client = api();
      const err = await rejects(client.getUserinfo('leaky-access-token'), SlashIdApiError);
      assert.match(
        describeError(err),
        /^Fetching the userinfo of the access token failed: the access token was rejected \(401: invalid token\)/,
      );
      assert.ok(!JSON.stringify(client.lastRequest).includes('leaky-access-token'));
    });
  });

  describe('hosted-UI configuration', () => {
    it('gets and puts OAuthClientUIConfiguration in the envelope, unknown fields kept', async () => {
      const config = { logoUrl: 'https://example.com/logo.png', handleTypes: ['email_address'], customField: { kept: true } };
      reply = (s) => ({
        status: s.method === 'PUT' ? 201 : 200,
        body: { result: s.method === 'PUT' ? (JSON.parse(s.body) as unknown) : config },
      });
      assert.deepEqual(await api().getUiConfiguration('c/1'), config);
      assert.equal(seen[0].path, '/oauth2/clients/c%2F1/ui-configuration');
      assert.deepEqual(await api().updateUiConfiguration('c-1', { ...config, pageBackgroundColor: '#fff' }), {
        ...config,
        pageBackgroundColor: '#fff',
      });
      assert.equal(seen[1].method, 'PUT');
      assert.equal(seen[1].headers['slashid-api-key'], KEY);
      const err = await rejects(api().updateUiConfiguration('c-1', { showBadge: 'yes' as unknown as boolean }), RequestValidationError);
      assert.match(describeError(err), /showBadge/);
      assert.equal(seen.length, 2);
    });
  });

  describe('SSO tokens', () => {
    it("queries and revokes (v2) with the spec's bodies", async () => {
      const token = { token: 'gh-at', token_type: 'access', provider: 'github', authentication_id: 'auth-1', person_id: 'p-1' };
      reply = (s) => (s.path.endsWith('/query') ? { status: 200, body: { result: [token] } } : { status: 204 });
      assert.deepEqual(await api().querySsoTokens({ person_id: 'p-1', token_types: ['access'] }), [token]);
      assert.deepEqual(JSON.parse(seen[0].body), { person_id: 'p-1', token_types: ['access'] });
      await api().revokeSsoTokens({ person_id: 'p-1', authentication_id: 'auth-1' });
      assert.equal(seen[1].path, '/sso/oidc/tokens/revoke/v2');
      assert.deepEqual(JSON.parse(seen[1].body), { person_id: 'p-1', authentication_id: 'auth-1' });
      await rejects(api().querySsoTokens({ person_id: 'p-1', token_types: ['cookie' as 'access'] }), RequestValidationError);
      assert.equal(seen.length, 2);
    });
  });

  describe('authorization URL and PKCE', () => {
    it('builds the URL of /oauth2/authorize with PKCE S256, state and nonce', async () => {
      const { codeVerifier, codeChallenge } = createPkce();
      assert.match(codeVerifier, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(pkceChallenge(codeVerifier), codeChallenge);
      // S256 computed another way (WebCrypto): BASE64URL(SHA256(verifier)).
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier));
      assert.equal(codeChallenge, Buffer.from(digest).toString('base64url'));
      const url = new URL(
        api().authorizationUrl({
          clientId: CLIENT,
          redirectUri: 'http://127.0.0.1:5000/callback',
          scopes: ['openid', 'email'],
          state: 'st&ate',
          nonce: 'n-1',
          codeChallenge,
          loginHint: 'email_address:alice@example.com',
        }),
      );
      assert.equal(url.origin + url.pathname, `${base}/oauth2/authorize`);
      assert.deepEqual(Object.fromEntries(url.searchParams), {
        response_type: 'code',
        client_id: CLIENT,
        redirect_uri: 'http://127.0.0.1:5000/callback',
        scope: 'openid email',
        state: 'st&ate',
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
        nonce: 'n-1',
        login_hint: 'email_address:alice@example.com',
      });
    });

    it('refuses a request without scope, state or a real S256 challenge', () => {
      assert.throws(
        () => api().authorizationUrl({ clientId: CLIENT, redirectUri: 'not a uri', scopes: [], state: '', codeChallenge: 'plain' }),
        (err: unknown) => {
          assert.ok(err instanceof RequestValidationError);
          const fields = err.problems.map((p) => p.field);
          assert.deepEqual(fields, ['redirect_uri', 'scope', 'state', 'code_challenge']);
          return true;
        },
      );
    });
  });

  describe('person search (SCIM 2.0 filter)', () => {
    it('sends a SCIM filter built from what the user typed, never the text itself', async () => {
      reply = () => ({ status: 200, body: { result: [] } });
      await api().searchPersons('alice@example.com', { limit: 21 });
      assert.equal(seen[0].query.get('filter'), 'handles eq "email_address:alice@example.com"');
      assert.equal(seen[0].query.get('limit'), '21');
      await api().searchPersons('  ');
      assert.equal(seen[1].query.get('filter'), null, 'blank: everyone');
      const err = await rejects(api().searchPersons('alice smith'), RequestValidationError);
      assert.match(describeError(err), /^Searching persons was not sent: .*"alice smith" is not an email address, a phone number/);
      assert.equal(seen.length, 2);
    });

    it('recognizes emails, phone numbers, person IDs and usernames, quoting and escaping for SCIM', () => {
      const cases: [string, string][] = [
        ['alice@example.com', 'handles eq "email_address:alice@example.com"'],
        ['"o\\"brien"@example.com', 'handles eq "email_address:\\"o\\\\\\"brien\\"@example.com"'],
        ['+1 201 987-6543', 'handles eq "phone_number:+12019876543"'],
        ['0044 (20) 7946.0958', 'handles eq "phone_number:+442079460958"'],
        ['063E2964-EA22-76A2-AE08-3A7173964AE5', 'person_id eq "063e2964-ea22-76a2-ae08-3a7173964ae5"'],
        ['john_smith', 'handles eq "username:john_smith"'],
        ['jöhn.smith-2', 'handles eq "username:jöhn.smith-2"'],
      ];
      for (const [typed, filter] of cases) {
        const search = personSearchFilter(typed);
        assert.ok(search?.ok, `${typed}: ${JSON.stringify(search)}`);
        assert.equal(search.filter, filter);
      }
      for (const typed of ['alice smith', 'x" or true or "', '201 987 6543', '+12', 'a'.repeat(400), 'name)(']) {
        const search = personSearchFilter(typed);
        assert.ok(search !== undefined && !search.ok, `${typed} must be refused: ${JSON.stringify(search)}`);
      }
      assert.equal(personSearchFilter(''), undefined);
    });
  });

  it("OpenIDConfig: the spec's seven required fields", () => {
    const config = {
      issuer: base,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/tokens`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
    assert.ok(OpenIDConfigSchema.safeParse(config).success);
    for (const field of Object.keys(config)) {
      const { [field as keyof typeof config]: _dropped, ...rest } = config;
      assert.equal(OpenIDConfigSchema.safeParse(rest).success, false, `${field} is required`);
    }
  });
});
