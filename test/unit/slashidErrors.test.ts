import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startEmulator, type Emulator } from '../../emulator/index';
import { SlashIdClient, type RequestLogEntry } from '../../src/slashid/client';
import { parseRetryAfter } from '../../src/slashid/transport';
import { isOrgId, issuerFor } from '../../src/slashid/contract';
import { toCurl, quote } from '../../src/slashid/curl';
import {
  MalformedResponseError,
  MissingApiKeyError,
  NetworkError,
  OAuthError,
  RequestValidationError,
  SchemaError,
  SlashIdApiError,
  TimeoutError,
  describeError,
} from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { redactRequest, type RecordedRequest } from '../../src/slashid/recordedRequest';
import { describeSchemaIssue, formatIssuePath } from '../../src/slashid/schemaIssues';
import { OAuth2ClientSchema, clientListAnswerCompiled, CreatedOAuth2ClientSchema } from '../../src/slashid/schemas';
import { CANARY_KEY, CHILD_CLIENT, PERSON, ROOT, ROOT_CLIENT, ROOT_CLIENT_SECRET, seed } from './slashidFixture';

describe('slashid describeError', () => {
  const ctx = { operation: 'getClient' as const, clientId: 'c-1', orgId: 'org-1', baseUrl: 'https://api.slashid.com' };

  it('has one sentence per cause: what failed, why, what to do', () => {
    const cases: [unknown, string][] = [
      [
        new SlashIdApiError(401, ['The API key is not valid.'], { operation: 'listClients' }),
        "Listing clients failed: the API key was rejected (401: The API key is not valid). Replace the key with 'SlashID: Replace API Key'.",
      ],
      [
        new SlashIdApiError(403, ['nope'], ctx),
        'Getting client c-1 failed: access denied (403: nope). The organization in the SlashID-OrgID header (org-1) must own the client or be a parent of its owner; open the client from that organization.',
      ],
      [
        new SlashIdApiError(404, [], ctx),
        'Getting client c-1 failed: the client was not found (404). It may have been deleted; refresh the list.',
      ],
      [
        new SlashIdApiError(408, ['timeout'], { ...ctx, operation: 'updateClient' }),
        'Updating client c-1 failed: SlashID could not reach the required consistency in time (408: timeout). The change may still be applied: refresh before trying again.',
      ],
      [
        new NetworkError('ECONNREFUSED', { operation: 'listClients', baseUrl: 'http://127.0.0.1:9' }),
        'Listing clients failed: cannot reach http://127.0.0.1:9 (ECONNREFUSED: the connection was refused: nothing is listening there). Check the base URL and your network connection.',
      ],
      [
        new NetworkError('ECONNRESET', { operation: 'listClients', baseUrl: 'http://127.0.0.1:9', attempts: 3 }),
        'Listing clients failed: cannot reach http://127.0.0.1:9 (ECONNRESET: the connection was reset) (tried 3 times). Check the base URL and your network connection.',
      ],
      [
        new TimeoutError(15_000, { operation: 'listClients', baseUrl: 'https://api.slashid.com' }),
        "Listing clients failed: no answer from https://api.slashid.com within 15 s. Check your network, or raise the 'slashid.requestTimeout' setting.",
      ],
      [
        new SchemaError('result[3].grant_types[0]', 'expected string, got an integer', 1, {
          operation: 'listClients',
          baseUrl: 'https://api.slashid.com',
        }),
        'Listing clients failed: the answer from https://api.slashid.com does not have the expected shape (field result[3].grant_types[0]: expected string, got an integer). Check that the base URL points at the SlashID API; if it does, the API has changed and the extension needs an update.',
      ],
      [
        new MalformedResponseError(200, 'empty', undefined, { operation: 'getJwks', baseUrl: 'https://x' }),
        'Fetching the signing keys (JWKS) failed: the answer was empty (HTTP 200 from https://x). Check that the base URL points at the SlashID API and try again.',
      ],
      [
        new RequestValidationError([{ field: 'client_name', message: 'must not be empty' }], { operation: 'createClient' }),
        'Creating the client was not sent: the request is invalid (client_name must not be empty). Correct it and try again.',
      ],
      [
        new OAuthError(400, 'invalid_scope', 'admin is not allowed.', { operation: 'getClientCredentialsToken', clientId: 'c-1' }),
        "Requesting a client-credentials token for client c-1 failed: a requested scope is not allowed for this client (400 invalid_scope: admin is not allowed). Request only the client's scopes, or add the scope with 'SlashID: Edit Client'.",
      ],
      [
        new MissingApiKeyError('Acme', { operation: 'listClients' }),
        'Listing clients was not sent: no API key is stored for "Acme". Add one with \'SlashID: Replace API Key\'.',
      ],
      [new Error('boom'), 'Unexpected error: boom'],
      ['text', 'Unexpected error: text'],
    ];
    for (const [err, sentence] of cases) {
      assert.equal(describeError(err), sentence);
      if (err instanceof Error && !(err.message === 'boom')) {
        assert.equal(err.message, sentence, 'message and describeError agree');
      }
    }
  });

  it('a write answered 403 mentions the admin key', () => {
    assert.match(
      describeError(new SlashIdApiError(403, ['member key'], { ...ctx, operation: 'deleteClient' })),
      /needs an admin API key, not a member key\.$/,
    );
    assert.match(describeError(new SlashIdApiError(403, ['member key'], { operation: 'createClient' })), /needs an admin API key/);
  });

  it('userMessage equals describeError', () => {
    const err = new SlashIdApiError(404, [], ctx);
    assert.equal(err.userMessage, describeError(err));
  });
});

describe('slashid schema issues', () => {
  it('names the nested field and the expectation', () => {
    const body = {
      result: [0, 1, 2, 3].map((i) => ({
        client_id: `c${i}`,
        client_name: 'n',
        grant_types: i === 3 ? [42] : ['client_credentials'],
        scopes: [],
        public: false,
      })),
    };
    const parsed = clientListAnswerCompiled().safeParse(body);
    assert.equal(parsed.success, false);
    const issue = parsed.error.issues[0];
    assert.equal(formatIssuePath(issue.path), 'result[3].grant_types[0]');
    assert.equal(describeSchemaIssue(issue, body), 'expected string, got an integer');
  });

  it('unknown fields are kept, missing ones named', () => {
    const client = { client_id: 'a', client_name: 'n', grant_types: ['refresh_token'], scopes: [], public: true, extra: 1 };
    assert.equal(OAuth2ClientSchema.safeParse(client).data?.extra, 1);
    assert.ok(clientListAnswerCompiled().safeParse({ result: [client], meta: { x: 1 } }).success);
    const missing = clientListAnswerCompiled().safeParse({ result: [{ client_id: 'a', grant_types: [], scopes: [], public: true }] });
    assert.equal(formatIssuePath(missing.error!.issues[0].path), 'result[0].client_name');
    assert.equal(describeSchemaIssue(missing.error!.issues[0], {}), 'expected string, but it is missing');
  });

  it('a created confidential client must carry its secret', () => {
    const r = CreatedOAuth2ClientSchema.safeParse({ client_id: 'a', client_name: 'n', grant_types: [], scopes: [], public: false });
    assert.equal(formatIssuePath(r.error!.issues[0].path), 'client_secret');
    assert.ok(CreatedOAuth2ClientSchema.safeParse({ client_id: 'a', client_name: 'n', grant_types: [], scopes: [], public: true }).success);
  });
});

describe('slashid contract helpers', () => {
  it('isOrgId accepts lower-case UUIDs only', () => {
    assert.equal(isOrgId('af5fbd30-7ce7-4548-8b30-4cd59cb2aba1'), true);
    assert.equal(isOrgId('AF5FBD30-7CE7-4548-8B30-4CD59CB2ABA1'), false);
    assert.equal(isOrgId('af5fbd30'), false);
    assert.equal(isOrgId(42), false);
    assert.equal(issuerFor('http://127.0.0.1:1234/'), 'http://127.0.0.1:1234');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});

describe('slashid toCurl', () => {
  it('quotes for the shell and redacts secrets as environment variables', () => {
    const request: RecordedRequest = {
      method: 'POST',
      url: 'https://api.slashid.com/oauth2/tokens',
      headers: {
        'SlashID-OrgID': 'org-1',
        'SlashID-API-Key': 'LEAKED-KEY',
        authorization: 'Basic TEFLRUQ=',
        'content-type': 'application/x-www-form-urlencoded',
      },
      basicAuthUser: "it's-a-client",
      body: {
        type: 'form',
        fields: [
          ['grant_type', 'client_credentials'],
          ['scope', 'a b'],
          ['client_secret', 'LEAKED-SECRET'],
          ['token', 'LEAKED-TOKEN'],
        ],
      },
    };
    const curl = toCurl(request);
    assert.equal(
      curl,
      [
        'curl --request POST https://api.slashid.com/oauth2/tokens',
        "  --header 'SlashID-OrgID: org-1'",
        `  --header 'SlashID-API-Key: '"$SLASHID_API_KEY"`,
        "  --header 'content-type: application/x-www-form-urlencoded'",
        `  --user 'it'\\''s-a-client:'"$SLASHID_CLIENT_SECRET"`,
        '  --data-urlencode grant_type=client_credentials',
        "  --data-urlencode 'scope=a b'",
        '  --data-urlencode client_secret="$SLASHID_CLIENT_SECRET"',
        '  --data-urlencode token="$SLASHID_TOKEN_VALUE"',
      ].join(' \\\n'),
    );
    assert.ok(!curl.includes('LEAKED'));
  });

  it('redacts secret fields at any depth of a JSON body and handles quotes and globs', () => {
    const curl = toCurl({
      method: 'get',
      url: 'https://x/persons?filter=[a]',
      headers: { 'SlashID-Token': 'eyJhbGciOiJSUzI1NiJ9.e30.sig' },
      body: { type: 'json', value: { name: "O'Brien", nested: { client_secret: 'LEAKED', list: [{ access_token: 'LEAKED' }] } } },
    });
    assert.ok(!curl.includes('LEAKED') && !curl.includes('eyJ'));
    assert.match(curl, /^curl --globoff --request GET 'https:\/\/x\/persons\?filter=\[a\]'/);
    assert.ok(curl.includes(`--header 'SlashID-Token: '"$SLASHID_TOKEN"`));
    assert.ok(
      curl.includes(`--data-raw '{"name":"O'\\''Brien","nested":{"client_secret":"<redacted>","list":[{"access_token":"<redacted>"}]}}'`),
    );
  });

  it('quote() leaves safe words alone and single-quotes the rest', () => {
    assert.equal(quote('abc-1.2'), 'abc-1.2');
    assert.equal(quote('a b'), "'a b'");
    assert.equal(quote("$(rm -rf /)'`"), `'$(rm -rf /)'\\''\`'`);
  });

  it('redactRequest is idempotent and keeps the Authorization scheme', () => {
    const once = redactRequest({ method: 'GET', url: 'u', headers: { Authorization: 'Bearer abc', 'SlashID-API-Key': 'k' } });
    assert.deepEqual(once.headers, { Authorization: 'Bearer <redacted>', 'SlashID-API-Key': '<redacted>' });
    assert.deepEqual(redactRequest(once), once);
  });
});

describe('slashid canary: no secret in any message, log, record or curl', function () {
  let emu: Emulator;
  let pools: PoolRegistry;

  before(async () => {
    emu = await startEmulator({ seed: seed(), demo: false });
    pools = new PoolRegistry();
  });
  after(async () => {
    await pools.close();
    await emu.close();
  });

  it('runs failing and succeeding operations with canary secrets and searches every output', async () => {
    const outputs: string[] = [];
    const logs: RequestLogEntry[] = [];
    const make = (apiKey: string | (() => Promise<string>), timeoutMs = 2000) =>
      new SlashIdClient({
        baseUrl: emu.url,
        orgId: ROOT,
        apiKey: typeof apiKey === 'string' ? () => apiKey : apiKey,
        pools,
        timeoutMs,
        log: (e) => logs.push(e),
        retry: { sleep: () => Promise.resolve() },
      });
    const wrongCanary = 'sid-canary-WRONG-KEY-0a9e77c1';
    const canaries = [CANARY_KEY, wrongCanary, ROOT_CLIENT_SECRET];
    const good = make(CANARY_KEY);
    const bad = make(wrongCanary);
    const container = await emu.createSsoLogin({ org_id: ROOT, person_id: PERSON, provider: 'google', expires_in: -10 });
    const minted = await good.mintTokens({ person_id: PERSON, client_id: ROOT_CLIENT, scopes: ['openid', 'offline_access'] });
    const token = (await good.getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET)).access_token;
    canaries.push(container, minted.access_token, minted.refresh_token!, token);

    const attempts: (() => Promise<unknown>)[] = [
      () => bad.listClients(),
      () => bad.createClient({ client_name: 'x', scopes: [], grant_types: ['client_credentials'] }),
      () => good.getClient(randomUUID()),
      () => good.getClientCredentialsToken(ROOT_CLIENT, `${ROOT_CLIENT_SECRET}-wrong`),
      () => good.getClientCredentialsToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, ['not-allowed']),
      () => good.introspectToken(ROOT_CLIENT, `${ROOT_CLIENT_SECRET}x`, token),
      () => good.getOidcTokens(container),
      () => good.getOidcTokens('not a jwt ' + CANARY_KEY),
      () => good.mintTokens({ person_id: PERSON, client_id: CHILD_CLIENT, custom_claims: { sub: CANARY_KEY } }),
      () => {
        emu.faults.set('GET /oauth2/clients', { delayMs: 200, times: 3 });
        return make(CANARY_KEY, 50).listClients();
      },
      () => {
        emu.faults.set('GET /oauth2/clients/:id', { malformed: 'schema', times: 1 });
        return good.getClient(ROOT_CLIENT);
      },
      () => {
        emu.faults.set('POST /oauth2/tokens/introspect', { malformed: 'truncated', times: 1 });
        return good.introspectToken(ROOT_CLIENT, ROOT_CLIENT_SECRET, token);
      },
      () =>
        new SlashIdClient({
          baseUrl: 'http://127.0.0.1:1',
          orgId: ROOT,
          apiKey: () => CANARY_KEY,
          pools,
          retry: { attempts: 1 },
        }).listClients(),
      () => make(() => Promise.reject(new MissingApiKeyError('Root'))).listClients(),
    ];
    for (const attempt of attempts) {
      try {
        await attempt();
        outputs.push('(resolved)');
      } catch (err) {
        outputs.push(describeError(err), err instanceof Error ? `${err.name} ${err.message} ${err.stack ?? ''}` : String(err));
        outputs.push(JSON.stringify(err, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message } : v)));
      }
    }
    for (const c of [good, bad]) {
      if (c.lastRequest) {
        outputs.push(JSON.stringify(c.lastRequest), toCurl(c.lastRequest));
      }
    }
    outputs.push(JSON.stringify(logs), ...logs.map((l) => (l.request ? toCurl(l.request) : '')));
    const everything = outputs.join('\n');
    assert.deepEqual(
      outputs.filter((o) => o === '(resolved)'),
      [],
      'every attempt failed',
    );
    for (const canary of canaries) {
      assert.ok(!everything.includes(canary), `a secret leaked: ${canary.slice(0, 12)}…`);
    }
    // The Basic credentials in base64 must not leak either.
    assert.ok(!everything.includes(Buffer.from(`${ROOT_CLIENT}:${ROOT_CLIENT_SECRET}`).toString('base64')));
    assert.match(everything, /the API key was rejected \(401/);
  });
});
