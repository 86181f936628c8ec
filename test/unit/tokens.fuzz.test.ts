import * as assert from 'node:assert/strict';
import { base64url } from 'jose';
import { validateCustomClaims } from '../../src/tokens/claims';
import { decodeToken } from '../../src/tokens/decode';
import { findTokens, tokenAt } from '../../src/tokens/recognize';
import { prng } from './fuzzRandom';

const SEED = Number(process.env.TOKENS_FUZZ_SEED ?? 20240501);
const ALPHABET = '{}[]":,.\\ \n\r\t-_=+/0123456789eEabcdefxyzABCDEFuntrlsé€😀\u0000\u001f\u2028\uFEFF\'';
const json = (value: unknown) => base64url.encode(JSON.stringify(value));
const SAMPLE_JWT = `${json({ alg: 'RS256', kid: 'k1' })}.${json({ sub: 'p1', exp: 1_900_000_000, nested: { a: [1, 2] } })}.${base64url.encode('sig'.repeat(80))}`;
const SAMPLE_CLAIMS =
  '{\n  "team": "blue",\n  "exp": 1,\n  "nested": {"__proto__": [1, 2.5e3, true, null, "x\\u0041"]},\n  "team": "red"\n}';
const SAMPLE_TEXT = `INFO token=${SAMPLE_JWT}\nAuthorization: Bearer ${SAMPLE_JWT}\n{"access_token":"sid_at_${'a'.repeat(43)}"}`;

function mutate(source: string, random: () => number): string {
  let text = source;
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (text.length + 1));
    const op = random();
    const ch = ALPHABET[Math.floor(random() * ALPHABET.length)];
    if (op < 0.35) text = text.slice(0, at) + ch + text.slice(at);
    else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 4));
    else if (op < 0.9) text = text.slice(0, at) + ch + text.slice(at + 1);
    else text = text.slice(0, at) + text.slice(at).repeat(1 + Math.floor(random() * 2));
  }
  return text;
}

function randomText(random: () => number): string {
  const length = Math.floor(random() * 200);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return text;
}

describe('tokens fuzz (10,000 random and mutated inputs each)', () => {
  const ROUNDS = 10_000;
  /** Inputs tried and crashes (a throw) per target, printed for the CI log. */
  const counts = { claims: { inputs: 0, crashes: 0 }, decoder: { inputs: 0, crashes: 0 }, recognizer: { inputs: 0, crashes: 0 } };
  after(() => {
    for (const [name, c] of Object.entries(counts)) console.log(`      fuzz: ${name} ${c.inputs} inputs, ${c.crashes} crashes`);
  });

  it('decodeToken never throws and always explains a failure', () => {
    const random = prng(SEED);
    for (let i = 0; i < ROUNDS; i++) {
      const input = i % 4 === 0 ? randomText(random) : mutate(SAMPLE_JWT, random);
      let result;
      counts.decoder.inputs++;
      try {
        result = decodeToken(input);
      } catch (error) {
        counts.decoder.crashes++;
        assert.fail(`decodeToken threw on round ${i} (seed ${SEED}): ${String(error)}`);
      }
      if (!result.ok) assert.ok(result.message.length > 0);
      else assert.equal(typeof result.payload, 'object');
    }
  });

  it('validateCustomClaims never throws and agrees with JSON.parse on syntax', () => {
    const random = prng(SEED + 1);
    for (let i = 0; i < ROUNDS; i++) {
      const input = i % 4 === 0 ? randomText(random) : mutate(SAMPLE_CLAIMS, random);
      let result;
      counts.claims.inputs++;
      try {
        result = validateCustomClaims(input);
      } catch (error) {
        counts.claims.crashes++;
        assert.fail(`validateCustomClaims threw on round ${i} (seed ${SEED}): ${String(error)}`);
      }
      let parses = true;
      try {
        JSON.parse(input);
      } catch {
        parses = false;
      }
      const syntax = result.problems.some((p) => p.code === 'syntax');
      if (input.trim() !== '')
        assert.equal(syntax, !parses, `round ${i}: syntax=${syntax} JSON.parse=${parses} for ${JSON.stringify(input)}`);
      for (const p of result.problems) {
        assert.ok(p.line >= 1 && p.column >= 1 && p.offset >= 0 && p.offset <= input.length, JSON.stringify(p));
      }
    }
  });

  it('findTokens and tokenAt never throw and return ranges inside the text', () => {
    const random = prng(SEED + 2);
    for (let i = 0; i < ROUNDS; i++) {
      const input = i % 4 === 0 ? randomText(random) : mutate(SAMPLE_TEXT, random);
      let tokens;
      counts.recognizer.inputs++;
      try {
        tokens = findTokens(input);
        tokenAt(input, Math.floor(random() * (input.length + 2)) - 1);
      } catch (error) {
        counts.recognizer.crashes++;
        assert.fail(`recognize threw on round ${i} (seed ${SEED}): ${String(error)}`);
      }
      for (const t of tokens) {
        assert.ok(t.start >= 0 && t.end <= input.length && t.start < t.end);
        assert.equal(input.slice(t.start, t.end), t.value);
      }
    }
  });
});
