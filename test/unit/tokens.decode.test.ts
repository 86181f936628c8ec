import * as assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT, generateKeyPair, base64url } from 'jose';
import { MAX_TOKEN_LENGTH, decodeToken, type DecodeFailure, type DecodedToken } from '../../src/tokens/decode';
import { maskToken } from '../../src/tokens/mask';

const b64 = (value: string) => base64url.encode(value);
const json = (value: unknown) => b64(JSON.stringify(value));
const HEADER = json({ alg: 'RS256', kid: 'k1', typ: 'JWT' });
const PAYLOAD = json({ sub: 'p1', iat: 1_700_000_000 });
const SIG = b64('x'.repeat(256));

function failure(input: string): DecodeFailure {
  const result = decodeToken(input);
  assert.equal(result.ok, false, `expected a failure for ${input.slice(0, 40)}`);
  return result;
}

function success(input: string): DecodedToken {
  const result = decodeToken(input);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result;
}

describe('tokens/decode', () => {
  it('decodes a signed JWT: header, payload, parts, signature facts', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ team: 'blue' })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setIssuedAt(1_700_000_000)
      .setExpirationTime(1_700_086_400)
      .sign(privateKey);
    const decoded = success(token);
    assert.deepEqual(decoded.header, { alg: 'RS256', kid: 'key-1' });
    assert.deepEqual(decoded.payload, { team: 'blue', iat: 1_700_000_000, exp: 1_700_086_400 });
    assert.equal(decoded.alg, 'RS256');
    assert.equal(decoded.kid, 'key-1');
    assert.equal(decoded.algNone, false);
    assert.equal(decoded.hasSignature, true);
    assert.equal(decoded.signatureBytes, 256);
    assert.equal(decoded.size, token.length);
    assert.equal(decoded.token, token);
    assert.equal([decoded.parts.header, decoded.parts.payload, decoded.parts.signature].join('.'), token);
  });

  it('accepts surrounding whitespace and a Bearer prefix', () => {
    const token = `${HEADER}.${PAYLOAD}.${SIG}`;
    assert.equal(success(`  ${token}\n`).token, token);
    assert.equal(success(`Bearer ${token}`).token, token);
    assert.equal(success(`bearer\t${token}`).token, token);
  });

  it('detects alg none (jose UnsecuredJWT, and other letter cases)', () => {
    const unsecured = new UnsecuredJWT({ sub: 'p1' }).encode();
    const decoded = success(unsecured);
    assert.equal(decoded.algNone, true);
    assert.equal(decoded.hasSignature, false);
    assert.equal(decoded.signatureBytes, 0);
    assert.equal(success(`${json({ alg: 'NoNe' })}.${PAYLOAD}.`).algNone, true);
    assert.equal(success(`${json({ alg: 'RS256' })}.${PAYLOAD}.`).hasSignature, false);
  });

  it('reports an empty input', () => {
    assert.equal(failure('').reason, 'empty');
    assert.equal(failure('   \n').reason, 'empty');
  });

  it('reports a huge input with its size', () => {
    const huge = `${HEADER}.${'a'.repeat(MAX_TOKEN_LENGTH)}.${SIG}`;
    const result = failure(huge);
    assert.equal(result.reason, 'too-large');
    assert.match(result.message, new RegExp(huge.length.toLocaleString('en-US')));
    assert.match(result.message, /64 KB/);
  });

  it('reports the number of parts', () => {
    const one = failure('abc');
    assert.equal(one.reason, 'not-three-parts');
    assert.match(one.message, /this text has 1\./);
    assert.match(failure(`${HEADER}.${PAYLOAD}`).message, /has 2\./);
    assert.match(failure(`${HEADER}.${PAYLOAD}.${SIG}.x`).message, /has 4\./);
    assert.equal(failure('a.b.c.d.e').reason, 'encrypted');
  });

  it('reports an empty header or payload', () => {
    const h = failure(`.${PAYLOAD}.${SIG}`);
    assert.equal(h.reason, 'empty-part');
    assert.equal(h.part, 'header');
    const p = failure(`${HEADER}..${SIG}`);
    assert.equal(p.reason, 'empty-part');
    assert.equal(p.part, 'payload');
  });

  it('reports bad base64url with the part, the character and why', () => {
    const plus = failure(`${HEADER}.${PAYLOAD.slice(0, 5)}+${PAYLOAD.slice(5)}.${SIG}`);
    assert.equal(plus.reason, 'bad-base64url');
    assert.equal(plus.part, 'payload');
    assert.match(plus.message, /'\+' at position 6 of the payload/);
    assert.match(plus.message, /standard base64/);
    const padded = failure(`${HEADER}=.${PAYLOAD}.${SIG}`);
    assert.equal(padded.part, 'header');
    assert.match(padded.message, /not padded/);
    const space = failure(`${HEADER}.${PAYLOAD}.ab cd`);
    assert.equal(space.part, 'signature');
    assert.match(space.message, /a space/);
    const truncated = failure(`${HEADER}.eyJhb.${SIG}`);
    assert.equal(truncated.reason, 'bad-base64url');
    assert.match(truncated.message, /truncated/);
  });

  it('reports a header or payload that is not JSON, or not an object', () => {
    assert.equal(failure(`${b64('not json')}.${PAYLOAD}.${SIG}`).reason, 'header-not-json');
    assert.equal(failure(`${json([1, 2])}.${PAYLOAD}.${SIG}`).reason, 'header-not-object');
    assert.equal(failure(`${json('RS256')}.${PAYLOAD}.${SIG}`).reason, 'header-not-object');
    assert.equal(failure(`${HEADER}.${b64('{"sub":')}.${SIG}`).reason, 'payload-not-json');
    assert.equal(failure(`${HEADER}.${json(null)}.${SIG}`).reason, 'payload-not-object');
    assert.equal(failure(`${HEADER}.${json(42)}.${SIG}`).reason, 'payload-not-object');
    assert.equal(failure(`${HEADER}.${json([{ sub: 1 }])}.${SIG}`).reason, 'payload-not-object');
    // Invalid UTF-8 in the payload.
    assert.equal(failure(`${HEADER}.${base64url.encode(new Uint8Array([0x7b, 0xff, 0x7d]))}.${SIG}`).reason, 'payload-not-json');
  });

  it('never quotes the token in a message', () => {
    const secretish = `${HEADER}.${json({ canary: 'CANARY-SECRET' })}`;
    for (const input of [secretish, `${secretish}.+`, `${secretish}.a.b`]) {
      const result = decodeToken(input);
      if (!result.ok) assert.ok(!result.message.includes('CANARY') && !result.message.includes(HEADER), result.message);
    }
  });
});

describe('tokens/mask', () => {
  it('shows the kind and the last 4 characters, never the whole token', () => {
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(40)}.abcd`;
    assert.equal(maskToken(jwt), 'eyJhbGci••••••••abcd');
    assert.equal(maskToken(`sid_at_${'x'.repeat(39)}wxyz`), 'sid_at_xx••••••••wxyz');
    assert.equal(maskToken('short-token'), '••••••••');
    assert.equal(maskToken('abc'), '•••');
  });
});
