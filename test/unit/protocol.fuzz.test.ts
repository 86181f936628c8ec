/**
 * The minter's webview protocol under 10,000 random and malformed messages, in both directions: parsing
 * never throws, every malformed message is rejected with a reason, and valid messages still pass.
 */
import * as assert from 'node:assert/strict';
import {
  parseFormState,
  parseHostMessage,
  parseWebviewMessage,
  type HostMessage,
  type TokenView,
  type WebviewMessage,
} from '../../src/tokenPanels/protocol';
import { prng } from './fuzzRandom';

const TOKEN_VIEW: TokenView = {
  tokenId: 'r1:access_token',
  title: 'Access token',
  kind: 'jwt',
  masked: 'eyJhbGci••••••••abcd',
  length: 812,
  facts: [],
  header: '{\n  "alg": "RS256"\n}',
  payload: '{\n  "foo": "bar"\n}',
  highlight: ['foo'],
  times: [{ claim: 'exp', iso: '2030-01-01T00:00:00Z', local: 'Jan 1, 2030', relative: 'expires in 4 years', inFuture: true }],
  timeProblems: [],
  verdict: { status: 'valid', message: 'The signature is valid.' },
};

const VALID_WEBVIEW: WebviewMessage[] = [
  { type: 'ready' },
  { type: 'loadClients', requestId: 1, orgKey: 'org@local-emulator#org' },
  { type: 'searchPersons', requestId: 2, orgKey: 'k#o', query: 'alice' },
  { type: 'mint', requestId: 3, orgKey: 'k#o', clientId: 'c', personId: 'p', scopes: ['openid'], claimsText: '{"foo":"bar"}' },
  { type: 'reveal', requestId: 4, tokenId: 'r1:access_token' },
  { type: 'copy', tokenId: 'r1:access_token', what: 'payload' },
  { type: 'log', level: 'warn', message: 'hello' },
];

const VALID_HOST: HostMessage[] = [
  {
    type: 'init',
    mode: 'minter',
    orgs: [{ key: 'k#o', label: 'Demo', detail: 'o', isSubOrg: false }],
    preselect: { orgKey: 'k#o', clientId: 'c' },
  },
  { type: 'orgs', orgs: [] },
  { type: 'preselect', orgKey: 'k#o' },
  {
    type: 'reply',
    requestId: 1,
    reply: {
      kind: 'clients',
      clients: [{ clientId: 'c', name: 'n', scopes: ['openid'], grantTypes: ['authorization_code'], hasSecret: false }],
      matching: 1,
    },
  },
  { type: 'reply', requestId: 2, reply: { kind: 'persons', persons: [{ personId: 'p', label: 'a@b', detail: '' }], more: false } },
  { type: 'reply', requestId: 3, reply: { kind: 'minted', tokens: [TOKEN_VIEW] } },
  {
    type: 'reply',
    requestId: 3,
    reply: {
      kind: 'mintRejected',
      message: 'no',
      problems: [{ code: 'reserved-claim', message: 'exp is reserved', line: 1, column: 2, offset: 1, length: 5, claim: 'exp' }],
    },
  },
  { type: 'reply', requestId: 4, reply: { kind: 'revealed', tokenId: 't', token: 'eyJ.x.y' } },
  { type: 'reply', requestId: 5, reply: { kind: 'failed', message: 'nope' } },
  { type: 'showTokens', title: 'Decoded JWT', tokens: [TOKEN_VIEW] },
];

type Parser = (raw: unknown) => { ok: true } | { ok: false; reason: string };

function randomString(rand: () => number, max = 20): string {
  const alphabet = 'abcXYZ019 _-.#:"\'\\{}[]\u0000\u00e9\u{1F600}';
  const chars = [...alphabet];
  let s = '';
  const n = Math.floor(rand() * max);
  for (let i = 0; i < n; i++) s += chars[Math.floor(rand() * chars.length)];
  return s;
}

/** Arbitrary junk: any JSON-ish value, nested a little, plus values JSON cannot carry. */
function junk(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 9 : 12));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return rand() < 0.5;
    case 3:
      return [0, -1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e308][Math.floor(rand() * 8)];
    case 4:
      return randomString(rand);
    case 5:
      return BigInt(Math.floor(rand() * 1000));
    case 6:
      return Symbol('s');
    case 7:
      return () => 1;
    case 8:
      return 'x'.repeat(Math.floor(rand() * 300_000));
    case 9:
      return Array.from({ length: Math.floor(rand() * 4) }, () => junk(rand, depth + 1));
    case 10: {
      const o: Record<string, unknown> = {};
      for (let i = 0, n = Math.floor(rand() * 4); i < n; i++) o[randomString(rand, 8)] = junk(rand, depth + 1);
      return o;
    }
    default:
      return JSON.parse('{"__proto__": {"polluted": true}, "type": "ready"}') as unknown;
  }
}

/** A wrong value for a field: never valid for any field of the protocol. */
function wrongValue(rand: () => number, current: unknown): unknown {
  const options: unknown[] = [null, Symbol('x'), () => 0, BigInt(1), NaN, { nested: true }];
  if (typeof current === 'string') options.push(42, true, 'x'.repeat(300_000), ['a']);
  else if (typeof current === 'number') options.push('1', -1, 1.5, Infinity, Number.MAX_SAFE_INTEGER + 2);
  else if (typeof current === 'boolean') options.push('true', 1);
  else if (Array.isArray(current)) options.push('a', { 0: 'a' }, new Array(20_000).fill('openid'));
  else options.push('x', 7, []);
  return options[Math.floor(rand() * options.length)];
}

/** A valid message made invalid in one of several ways; every mutation breaks it by construction. */
function mutate(rand: () => number, valid: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = structuredClone(valid);
  const keys = Object.keys(copy).filter((k) => k !== 'type');
  const how = Math.floor(rand() * 5);
  if (how === 0) {
    copy.type = rand() < 0.5 ? randomString(rand, 12) + '!' : 7;
    return copy;
  }
  if (how === 1) {
    copy[`unknown_${randomString(rand, 6)}`] = junk(rand);
    return copy;
  }
  if (how === 2 && keys.length > 0) {
    const key = keys[Math.floor(rand() * keys.length)];
    const optional = key === 'preselect' || key === 'summary';
    if (!optional) {
      delete copy[key];
      return copy;
    }
  }
  if (how === 3) {
    return JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(copy).slice(1)}`) as unknown;
  }
  if (keys.length > 0) {
    const key = keys[Math.floor(rand() * keys.length)];
    copy[key] = wrongValue(rand, copy[key]);
    return copy;
  }
  copy.extra = 1;
  return copy;
}

/** Messages tried and crashes (a throw), both directions, printed for the CI log. */
const fuzzCounts = { inputs: 0, crashes: 0 };

function fuzz(name: string, parse: Parser, valid: readonly object[], seed: number, count: number): void {
  const rand = prng(seed);
  let rejected = 0;
  for (let i = 0; i < count; i++) {
    const raw = rand() < 0.3 ? junk(rand) : mutate(rand, valid[Math.floor(rand() * valid.length)] as Record<string, unknown>);
    let result: ReturnType<Parser>;
    fuzzCounts.inputs++;
    try {
      result = parse(raw);
    } catch (err) {
      fuzzCounts.crashes++;
      assert.fail(`${name}: message #${i} (seed ${seed}) made the parser throw: ${String(err)}`);
    }
    if (result.ok) {
      // Random junk can only pass by being exactly `{type: "ready"}`-like; anything else is a bug.
      assert.ok(
        typeof raw === 'object' && raw !== null && Object.keys(raw).length === 1 && (raw as { type?: unknown }).type === 'ready',
        `${name}: message #${i} (seed ${seed}) was accepted: ${safeDescribe(raw)}`,
      );
      continue;
    }
    assert.equal(typeof result.reason, 'string');
    assert.ok(result.reason.length > 0, `${name}: message #${i} rejected without a reason`);
    assert.ok(result.reason.length < 1_000, `${name}: a reason of ${result.reason.length} characters`);
    rejected++;
  }
  assert.ok(rejected > count * 0.95, `${name}: only ${rejected} of ${count} rejected`);
}

function safeDescribe(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))?.slice(0, 300) ?? String(value);
  } catch {
    return String(value);
  }
}

describe('minter protocol', () => {
  after(() => console.log(`      fuzz: protocol ${fuzzCounts.inputs} inputs, ${fuzzCounts.crashes} crashes`));
  it('accepts every valid message of both directions', () => {
    for (const message of VALID_WEBVIEW) assert.deepEqual(parseWebviewMessage(message), { ok: true, value: message });
    for (const message of VALID_HOST) assert.deepEqual(parseHostMessage(message), { ok: true, value: message });
  });

  it('rejects 5,000 random and malformed webview → host messages, each with a reason, without throwing', () => {
    fuzz('webview→host', parseWebviewMessage, VALID_WEBVIEW, 0xc0ffee, 5_000);
  });

  it('rejects 5,000 random and malformed host → webview messages, each with a reason, without throwing', () => {
    fuzz('host→webview', parseHostMessage, VALID_HOST, 0xbadf00d, 5_000);
  });

  it('names the place of the problem and never quotes the value', () => {
    const secret = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    const result = parseWebviewMessage({ type: 'reveal', requestId: secret, tokenId: 't' });
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /requestId/);
    assert.ok(!(!result.ok && result.reason.includes(secret)), 'the reason quotes the value');
  });

  it('rejects a message with a __proto__ key and unknown fields', () => {
    const polluted = JSON.parse('{"type":"ready","__proto__":{"isAdmin":true}}') as unknown;
    assert.equal(parseWebviewMessage(polluted).ok, false);
    assert.equal(parseWebviewMessage({ type: 'copy', tokenId: 't', what: 'token', extra: 1 }).ok, false);
  });

  it('rejects oversized claims text, scopes lists and request ids that are not safe integers', () => {
    const base = VALID_WEBVIEW[3] as Extract<WebviewMessage, { type: 'mint' }>;
    assert.equal(parseWebviewMessage({ ...base, claimsText: 'x'.repeat(256 * 1024 + 1) }).ok, false);
    assert.equal(parseWebviewMessage({ ...base, scopes: new Array(101).fill('s') }).ok, false);
    assert.equal(parseWebviewMessage({ ...base, scopes: [''] }).ok, false);
    for (const requestId of [-1, 1.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 2, '1']) {
      assert.equal(parseWebviewMessage({ ...base, requestId }).ok, false, `requestId ${String(requestId)}`);
    }
  });

  it('keeps only form inputs in the saved state: a state carrying a token is rejected', () => {
    assert.equal(parseFormState({ scopes: [], extraScopes: '', claimsText: '' }).ok, true);
    assert.equal(parseFormState({ scopes: [], extraScopes: '', claimsText: '', accessToken: 'eyJ.x.y' }).ok, false);
    assert.equal(parseFormState('nope').ok, false);
  });
});
