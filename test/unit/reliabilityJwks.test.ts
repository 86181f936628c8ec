/**
 * The JWKS fetch is a read: it is retried as the API core retries reads (once, after a dropped connection
 * or a 429/502/503/504, honouring a short Retry-After), never after a timeout or a 500, against the
 * emulator's fault injection.
 */
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator, type Fault } from '../../emulator/index';
import { SlashIdClient } from '../../src/slashid/client';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { JwksCache } from '../../src/tokens/verify';

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

  it('does not retry a timeout (the callers have short budgets)', async () => {
    const r = await verifyUnder({ delayMs: 400 }, 150);
    assert.equal(r.verdict, 'jwks-unavailable');
    assert.match(r.message, /no answer within/);
    assert.equal(r.requests, 1);
  });
});
