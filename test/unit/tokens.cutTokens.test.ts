import * as assert from 'node:assert/strict';
import { base64url } from 'jose';
import { analyzeLineToken, cutJwtIn, cutOf, jwtFragmentAt, signatureCut } from '../../src/tokens/cutTokens';

const json = (value: unknown) => base64url.encode(JSON.stringify(value));
const sig = (bytes: number) => base64url.encode(new Uint8Array(bytes).fill(7));
const HEADER = json({ alg: 'RS256', kid: 'k1' });
const PAYLOAD = json({ sub: 'p1', iss: 'https://api.slashid.com', exp: 1_900_000_000 });
const JWT = `${HEADER}.${PAYLOAD}.${sig(256)}`;

describe('tokens/cutTokens', () => {
  it('says how much signature a truncated RS256 token has and needs', () => {
    const cut = signatureCut('RS256', sig(120));
    assert.equal(cut?.actualBytes, 120);
    assert.equal(cut?.expectedBytes, 256);
    assert.match(cut?.message ?? '', /signature is 120 bytes, RS256 needs 256/);
  });

  it('accepts whole signatures of every fixed-length algorithm and RSA key sizes', () => {
    for (const [alg, bytes] of [
      ['HS256', 32],
      ['ES256', 64],
      ['ES384', 96],
      ['ES512', 132],
      ['EdDSA', 64],
      ['RS256', 256],
      ['RS512', 512],
      ['PS384', 384],
    ] as const) {
      assert.equal(signatureCut(alg, sig(bytes)), undefined, `${alg} ${bytes}`);
    }
    assert.match(signatureCut('ES256', sig(40))?.message ?? '', /40 bytes, ES256 needs 64/);
    assert.match(signatureCut('RS256', '')?.message ?? '', /no signature, and RS256 needs 256 bytes/);
    assert.equal(signatureCut('none', ''), undefined);
    assert.equal(signatureCut('XYZ', sig(3)), undefined, 'an unknown algorithm is not judged');
  });

  it('finds a whole token cut in the middle of a line (a display ending in an ellipsis)', () => {
    assert.equal(cutOf(JWT), undefined);
    assert.match(cutOf(JWT.slice(0, -182))?.message ?? '', /signature is 120 bytes, RS256 needs 256/);
  });

  it('takes starts of JWTs at the cursor, with one, two or three parts', () => {
    const line = `token: ${HEADER}.${PAYLOAD.slice(0, 10)}`;
    const fragment = jwtFragmentAt(line, 10);
    assert.deepEqual(fragment && { start: fragment.start, parts: fragment.parts, atLineEnd: fragment.atLineEnd }, {
      start: 7,
      parts: 2,
      atLineEnd: true,
    });
    assert.equal(jwtFragmentAt('plain words here', 3), undefined);
    assert.equal(jwtFragmentAt(`a.b.c.d ${JWT}`, 2), undefined);
    const bearer = jwtFragmentAt(`Authorization: Bearer ${JWT}`, 17);
    assert.equal(bearer?.value, JWT);
  });

  it('joins a JWT wrapped in its payload with the next line, and says how much it took', () => {
    const cutAt = HEADER.length + 1 + 20;
    const lines = [`jwt=${JWT.slice(0, cutAt)}`, `    ${JWT.slice(cutAt)}`, 'next'];
    const analysis = analyzeLineToken(jwtFragmentAt(lines[0], 6)!, lines[1]);
    assert.equal(analysis.kind, 'joined');
    assert.equal(analysis.token, JWT);
    assert.equal(analysis.kind === 'joined' && analysis.continuationLength, JWT.length - cutAt);
  });

  it('joins a JWT wrapped in its signature (a terminal at 80 columns)', () => {
    const lines = [JWT.slice(0, 80 * 5), JWT.slice(80 * 5)];
    const analysis = analyzeLineToken(jwtFragmentAt(lines[0], 3)!, lines[1]);
    assert.equal(analysis.kind, 'joined');
    assert.equal(analysis.token, JWT);
  });

  it('calls a wrapped token cut when the next line does not complete it', () => {
    const head = JWT.slice(0, -182);
    const analysis = analyzeLineToken(jwtFragmentAt(head, 3)!, 'INFO next log line');
    assert.equal(analysis.kind, 'cut');
    assert.match(analysis.kind === 'cut' ? analysis.message : '', /signature is 120 bytes, RS256 needs 256/);
    const twoParts = analyzeLineToken(jwtFragmentAt(`${HEADER}.${PAYLOAD.slice(0, 9)}`, 3)!, undefined);
    assert.equal(twoParts.kind, 'cut');
    assert.match(twoParts.kind === 'cut' ? twoParts.message : '', /ends inside its payload/);
  });

  it('never glues a whole token at a line end to the next line', () => {
    const analysis = analyzeLineToken(jwtFragmentAt(JWT, 3)!, 'continuation-looking-word');
    assert.deepEqual(analysis, { kind: 'whole', token: JWT });
  });
});

describe('tokens/cutTokens: shortened displays', () => {
  it('finds a JWT shortened at its end or in its middle, as debuggers show long strings', () => {
    const head = JWT.slice(0, HEADER.length + 40);
    assert.match(cutJwtIn(`'${head}…'`) ?? '', /ends inside its payload/);
    assert.match(cutJwtIn(`'${head}…${JWT.slice(-300)}'`) ?? '', /ends inside its payload/);
    assert.match(cutJwtIn(`token=${HEADER}`) ?? '', /only its header/);
    assert.equal(cutJwtIn(`'${JWT}'`), undefined, 'a whole token is not cut');
    assert.equal(cutJwtIn('hello'), undefined);
  });
});
