/**
 * The JWKS fetch is a read: it goes through the API core's HTTP layer and is retried by the same rules
 * (transport.ts `retryDelay`) with the JWKS limits: 2 attempts (once more after a dropped connection, a
 * timeout or a 429/502/503/504), a Retry-After honoured up to 1 s, never after a 500, against the
 * emulator's fault injection.
 */
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator, type Fault } from '../../emulator/index';
import { SlashIdClient } from '../../src/slashid/client';
import { DEFAULT_RETRY_POLICY, DISCOVERY_PATH, MAX_DISCOVERY_BYTES } from '../../src/slashid/contract';
import { NetworkError, TimeoutError, describeError } from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { JwksCache } from '../../src/tokens/verify';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

const ORG = 'eeeeeeee-0000-4000-8000-0000000000a1';
const PERSON = 'eeeeeeee-0000-4000-8000-0000000000a2';
const KEY = 'reliability-jwks-key-1f7c';
const ROUTE = 'GET /.well-known/jwks.json';

describe('reliability: JWKS fetch retries', function () {
  this.timeout(20_000);
  let emulator: Emulator;
  let pools: PoolRegistry;
  let token: string;

  before(async () => {
    emulator = await startEmulator({
      demo: false,
      seed: {
        orgs: [{ id: ORG, api_key: KEY }],
        persons: [{ person_id: PERSON, org_id: ORG }],
        clients: [{ client_name: 'jwks', org_id: ORG, grant_types: ['client_credentials'], scopes: [] }],
      },
    });
    pools = new PoolRegistry();
    const api = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG, apiKey: () => KEY, pools });
    const [client] = await api.listClients();
    token = (await api.mintTokens({ person_id: PERSON, client_id: client.client_id, scopes: [] })).access_token;
  });
  after(async () => {
    await pools.close();
    await emulator.close();
  });
  afterEach(() => emulator.faults.clear());

  async function verifyUnder(fault: Fault, timeoutMs = 5_000): Promise<{ verdict: string; message: string; requests: number; ms: number }> {
    emulator.faults.set(ROUTE, fault);
    const first = emulator.requests.length;
    const since = Date.now();
    const result = await new JwksCache({ timeoutMs }).verify(token, { issuer: emulator.url });
    const ms = Date.now() - since;
    // A delayed request is recorded when its answer is written.
    if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs! + 100));
    const requests = emulator.requests.slice(first).filter((r) => r.route === ROUTE).length;
    return { verdict: result.verdict, message: result.message, requests, ms };
  }

  for (const [name, fault] of [
    ['a 503', { status: 503, times: 1 }],
    ['a 502', { status: 502, times: 1 }],
    ['a dropped connection', { drop: true, times: 1 }],
  ] as const) {
    it(`retries once after ${name} and verifies`, async () => {
      const r = await verifyUnder(fault);
      assert.equal(r.verdict, 'valid', r.message);
      assert.equal(r.requests, 2);
    });
  }

  it('waits the Retry-After of a 429 (1 s) before the retry', async () => {
    const r = await verifyUnder({ status: 429, retryAfter: 1, times: 1 });
    assert.equal(r.verdict, 'valid', r.message);
    assert.equal(r.requests, 2);
    assert.ok(r.ms >= 950, `retried after ${r.ms} ms`);
  });

  it('does not wait for a Retry-After over 1 s: fails at once naming the 429', async () => {
    const r = await verifyUnder({ status: 429, retryAfter: 30 });
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /HTTP 429/);
    assert.equal(r.requests, 1);
  });

  it('gives up after the second 503 naming it', async () => {
    const r = await verifyUnder({ status: 503 });
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /HTTP 503/);
    assert.equal(r.requests, 2);
  });

  for (const [name, fault, message] of [
    ['a 500', { status: 500 }, /HTTP 500/],
    ['a truncated body', { malformed: 'truncated' }, /not JSON/],
    ['a body breaking the schema', { malformed: 'schema' }, /not a JSON Web Key Set/],
  ] as const) {
    it(`does not retry ${name}`, async () => {
      const r = await verifyUnder(fault);
      assert.equal(r.verdict, 'jwks-unavailable');
      assert.match(r.message, message);
      assert.equal(r.requests, 1);
    });
  }

  it('retries a timeout once, as the API client retries reads, then names it', async () => {
    const r = await verifyUnder({ delayMs: 400 }, 150);
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /no answer within/);
    assert.equal(r.requests, 2);
  });
});

/**
 * A hostile key-set server (issue 10, item 6): a `content-length` over the 1 MB cap is refused before
 * the body is read, an endless body is cut at the cap (the old fetch buffered it whole until its
 * timeout), and the request timeout covers a body that drips in. The API client's `getJwks` goes
 * through the same layer, and so does its `getDiscovery` (the OpenID configuration, also capped at 1 MB).
 */
describe('reliability: a hostile JWKS server', function () {
  this.timeout(20_000);
  let server: LoopbackServer;
  let base: string;
  let mode: 'huge-length' | 'just-over-length' | 'endless' | 'drip' | 'silent' = 'endless';
  /** Bytes of body the server managed to write for the last request. */
  let written = 0;
  /** The path of every request the server received. */
  const paths: string[] = [];
  let pools: PoolRegistry;

  before(async () => {
    server = await startLoopbackServer((req, res) => {
      paths.push(req.url ?? '');
      written = 0;
      const chunk = Buffer.alloc(64 * 1024, 'a');
      if (mode === 'huge-length' || mode === 'just-over-length') {
        const length = mode === 'huge-length' ? 5 * 1024 ** 3 : MAX_DISCOVERY_BYTES + 1;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(length) });
        res.write('{"keys":[');
        written += 9;
        return; // and never more
      }
      if (mode === 'silent') return; // no status line, no headers, ever
      res.writeHead(200, { 'content-type': 'application/json' });
      if (mode === 'drip') {
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      const pump = (): void => {
        while (!res.destroyed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    base = server.url;
    pools = new PoolRegistry();
  });
  after(async () => {
    await pools.close();
    await server.close();
  });

  async function verify(timeoutMs = 5_000): Promise<{ verdict: string; message: string; ms: number }> {
    const since = Date.now();
    const result = await new JwksCache({ timeoutMs, pools }).verify(TOKEN_FOR_ANY_ISSUER, { issuer: base });
    return { verdict: result.verdict, message: result.message, ms: Date.now() - since };
  }

  it('refuses a content-length over 1 MB before reading the body', async () => {
    mode = 'huge-length';
    const r = await verify();
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /larger than 1 MB/);
    assert.ok(r.ms < 2_000, `took ${r.ms} ms`);
  });

  it('cuts an endless body at 1 MB instead of buffering it', async () => {
    mode = 'endless';
    const r = await verify();
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /larger than 1 MB/);
    assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
    // What the server could write before we hung up: the cap plus socket buffers, not hundreds of MB.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes`);
  });

  it('applies the request timeout to a body that drips in', async () => {
    mode = 'drip';
    const r = await verify(300);
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /no answer within/);
    assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
  });

  it("the API client's getJwks has the same 1 MB cap", async () => {
    mode = 'endless';
    const api = new SlashIdClient({ baseUrl: base, orgId: ORG, apiKey: () => KEY, pools, retry: { sleep: async () => {} } });
    await assert.rejects(api.getJwks(), (err: unknown) => {
      assert.ok(err instanceof NetworkError, String(err));
      assert.equal(err.code, 'UND_ERR_RES_EXCEEDED_MAX_SIZE');
      assert.match(describeError(err), /the answer was too large/);
      assert.equal(err.context?.attempts, 1, 'an answer over the cap is not retried');
      return true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes`);
  });

  /** `getDiscovery` against the hostile server: the error it rejects with, the time it took, and the paths it asked for. */
  async function discover(timeoutMs?: number): Promise<{ err: unknown; ms: number; requested: string[] }> {
    const api = new SlashIdClient({
      baseUrl: base,
      orgId: ORG,
      apiKey: () => KEY,
      pools,
      retry: { sleep: async () => {} },
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
    const first = paths.length;
    const since = Date.now();
    let err: unknown;
    try {
      const discovery = await api.getDiscovery();
      assert.fail(`getDiscovery resolved: ${JSON.stringify(discovery).slice(0, 200)}`);
    } catch (e) {
      err = e;
    }
    return { err, ms: Date.now() - since, requested: paths.slice(first) };
  }

  function assertTooLarge(err: unknown): void {
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'UND_ERR_RES_EXCEEDED_MAX_SIZE');
    assert.equal(err.context?.operation, 'getDiscovery');
    assert.equal(err.context?.attempts, 1, 'an answer over the cap is not retried');
    assert.match(describeError(err), /^Fetching the OpenID configuration failed: .*the answer was too large/);
  }

  for (const [lengthMode, title] of [
    ['huge-length', "the API client's getDiscovery refuses a content-length over 1 MB before reading the body"],
    ['just-over-length', "the API client's getDiscovery cap is 1 MB: a content-length of 1 MB and 1 byte is refused"],
  ] as const) {
    it(title, async () => {
      mode = lengthMode;
      const r = await discover();
      assertTooLarge(r.err);
      assert.deepEqual(r.requested, [DISCOVERY_PATH]);
      assert.ok(r.ms < 2_000, `took ${r.ms} ms`);
    });
  }

  it("the API client's getDiscovery cuts an endless body at 1 MB instead of buffering it", async () => {
    mode = 'endless';
    const r = await discover();
    assertTooLarge(r.err);
    assert.deepEqual(r.requested, [DISCOVERY_PATH]);
    assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
    // What the server could write before we hung up: the cap plus socket buffers, not the 64 MB of other answers.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes`);
  });

  for (const [name, hostileMode] of [
    ['a body that drips in', 'drip'],
    ['an answer whose headers never come', 'silent'],
  ] as const) {
    it(`the API client's getDiscovery applies its timeout to ${name}, retried as reads are, then names it`, async () => {
      mode = hostileMode;
      const r = await discover(300);
      assert.ok(r.err instanceof TimeoutError, String(r.err));
      assert.equal(r.err.timeoutMs, 300);
      assert.equal(r.err.context?.operation, 'getDiscovery');
      assert.equal(r.err.context?.attempts, DEFAULT_RETRY_POLICY.attempts);
      assert.match(
        describeError(r.err),
        new RegExp(
          `^Fetching the OpenID configuration failed: no answer from .* within 0\\.3 s \\(tried ${DEFAULT_RETRY_POLICY.attempts} times\\)`,
        ),
      );
      assert.deepEqual(r.requested, Array(DEFAULT_RETRY_POLICY.attempts).fill(DISCOVERY_PATH));
      // Each attempt waits 300 ms, not the 15 s default.
      assert.ok(r.ms < 3_000, `took ${r.ms} ms`);
    });
  }
});

/** Any RS256-shaped JWT: the hostile server never gets as far as checking it. */
const TOKEN_FOR_ANY_ISSUER = [
  Buffer.from('{"alg":"RS256","kid":"k1","typ":"JWT"}').toString('base64url'),
  Buffer.from('{"iss":"x","exp":9999999999}').toString('base64url'),
  'c2lnbmF0dXJl',
].join('.');
