/**
 * Issue 19 L6: what requests without any key can make the emulator keep is bounded (contract.ts
 * `MAX_AUTHORIZATION_CODES_PER_CLIENT`, `MAX_AUTHORIZATION_CODES`, `MAX_TOKENS_PER_PUBLIC_CLIENT`).
 * Counts of stored records, not memory.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { startEmulator, type Emulator, type EmulatorSeed } from '../../emulator/index';
import { MAX_AUTHORIZATION_CODES, MAX_AUTHORIZATION_CODES_PER_CLIENT, MAX_TOKENS_PER_PUBLIC_CLIENT } from '../../src/slashid/contract';

const ORG = '0b000000-0000-4000-8000-000000000001';
const ALICE = '0b000000-0000-4000-8000-0000000000a1';
const HYBRID = '0b000000-0000-4000-8000-0000000000c1';
const PUBLIC = '0b000000-0000-4000-8000-0000000000c2';
const OTHERS = Array.from({ length: 11 }, (_, i) => `0b000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`);
const CALLBACK = 'https://app.example.com/callback';
const NATIVE_CALLBACK = 'http://127.0.0.1/native';

const SEED: EmulatorSeed = {
  orgs: [{ id: ORG, api_key: 'bounds-admin-key-0001' }],
  persons: [{ person_id: ALICE, org_id: ORG, handles: [{ type: 'email_address', value: 'alice@example.com' }] }],
  clients: [
    {
      client_id: HYBRID,
      client_secret: 'bounds-hybrid-secret',
      client_name: 'Hybrid',
      grant_types: ['authorization_code'],
      scopes: ['openid'],
      redirect_uris: [CALLBACK],
    },
    {
      client_id: PUBLIC,
      client_name: 'Public',
      public: true,
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      redirect_uris: [NATIVE_CALLBACK],
    },
    ...OTHERS.map((client_id, i) => ({
      client_id,
      client_secret: `bounds-other-secret-${i}`,
      client_name: `Other ${i}`,
      grant_types: ['authorization_code' as const],
      scopes: ['openid'],
      redirect_uris: [CALLBACK],
    })),
  ],
};

describe('emulator: what keyless requests can make it keep is bounded (issue 19 L6)', function () {
  this.timeout(180_000);
  let emu: Emulator;
  const dispatcher = new Agent({ connections: 16 });
  before(async () => {
    emu = await startEmulator({ seed: SEED });
  });
  after(async () => {
    await emu.close();
    await dispatcher.close();
  });

  /** Runs `task(i)` for i < count, 16 at a time. */
  async function many(count: number, task: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < count) await task(next++);
      }),
    );
  }

  async function authorize(params: Record<string, string>): Promise<URL> {
    const res = await request(`${emu.url}/oauth2/authorize?${new URLSearchParams(params).toString()}`, { dispatcher });
    await res.body.dump();
    assert.equal(res.statusCode, 302);
    return new URL(String(res.headers.location));
  }

  it('8,000 hybrid sign-ins by login_hint keep at most the per-client cap of codes, and no ID token record', async () => {
    const before = emu.stored();
    let withIdToken = 0;
    await many(8_200, async (i) => {
      const location = await authorize({
        response_type: 'code id_token',
        client_id: HYBRID,
        redirect_uri: CALLBACK,
        scope: 'openid',
        nonce: `n-${i}`,
        state: `s-${i}`,
        login_hint: 'email_address:alice@example.com',
      });
      if (new URLSearchParams(location.hash.slice(1)).get('id_token')) withIdToken++;
    });
    assert.equal(withIdToken, 8_200, 'every request got its code and ID token');
    const after = emu.stored();
    assert.ok(after.codes <= MAX_AUTHORIZATION_CODES_PER_CLIENT, `${after.codes} codes kept`);
    assert.equal(after.codes, MAX_AUTHORIZATION_CODES_PER_CLIENT, 'the newest are kept');
    assert.equal(after.tokens, before.tokens, 'no token record was kept for the front-channel ID tokens');

    // The newest code still works; the oldest were dropped.
    const { challenge, verifier } = pkcePair();
    const fresh = await authorize({
      response_type: 'code',
      client_id: HYBRID,
      redirect_uri: CALLBACK,
      scope: 'openid',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: ALICE,
    });
    const exchanged = await request(`${emu.url}/oauth2/tokens`, {
      method: 'POST',
      dispatcher,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${HYBRID}:bounds-hybrid-secret`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: fresh.searchParams.get('code')!,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
      }).toString(),
    });
    assert.equal(exchanged.statusCode, 200, await exchanged.body.text());
  });

  it('codes over many clients stay under the overall cap', async () => {
    const perClient = MAX_AUTHORIZATION_CODES_PER_CLIENT;
    await many(OTHERS.length * perClient, async (i) => {
      await authorize({
        response_type: 'code',
        client_id: OTHERS[i % OTHERS.length],
        redirect_uri: CALLBACK,
        scope: 'openid',
        login_hint: ALICE,
      });
    });
    const after = emu.stored();
    assert.ok(OTHERS.length * perClient + perClient > MAX_AUTHORIZATION_CODES, 'the test made more codes than the overall cap');
    assert.ok(after.codes <= MAX_AUTHORIZATION_CODES, `${after.codes} codes kept`);
  });

  it("a public client's tokens, made without any secret, stay under its cap", async () => {
    const exchanges = Math.ceil(MAX_TOKENS_PER_PUBLIC_CLIENT / 3) + 100;
    const before = emu.stored().tokens; // other clients' tokens, which the cap does not touch
    await many(exchanges, async () => {
      const { challenge, verifier } = pkcePair();
      const location = await authorize({
        response_type: 'code',
        client_id: PUBLIC,
        redirect_uri: NATIVE_CALLBACK,
        scope: 'openid offline_access',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        login_hint: ALICE,
      });
      const res = await request(`${emu.url}/oauth2/tokens`, {
        method: 'POST',
        dispatcher,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: PUBLIC,
          code: location.searchParams.get('code')!,
          redirect_uri: NATIVE_CALLBACK,
          code_verifier: verifier,
        }).toString(),
      });
      const text = await res.body.text();
      assert.equal(res.statusCode, 200, text);
    });
    const after = emu.stored();
    assert.ok(exchanges * 3 > MAX_TOKENS_PER_PUBLIC_CLIENT, 'the test made more tokens than the cap');
    assert.equal(after.tokens - before, MAX_TOKENS_PER_PUBLIC_CLIENT, `${after.tokens - before} tokens of the public client kept`);
  });
});

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
