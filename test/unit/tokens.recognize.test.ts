import * as assert from 'node:assert/strict';
import { base64url } from 'jose';
import { findTokens, rangePosition, tokenAt, type RecognizedToken } from '../../src/tokens/recognize';
import { LineIndex, lineColumnAt, positionAt } from '../../src/tokens/textPosition';

const json = (value: unknown) => base64url.encode(JSON.stringify(value));
const JWT = `${json({ alg: 'RS256', kid: 'k1' })}.${json({ sub: 'p1', exp: 1_900_000_000 })}.${base64url.encode('s'.repeat(256))}`;
const UNSECURED = `${json({ alg: 'none' })}.${json({ sub: 'p1' })}.`;
const AT = `sid_at_${'A1b2_C3-'.repeat(5)}xyz`; // 43 characters after the prefix
const RT = `sid_rt_${'Zz09-_aB'.repeat(5)}qrs`;

function kinds(tokens: RecognizedToken[]): [string, string][] {
  return tokens.map((t) => [t.kind, t.value]);
}

describe('tokens/recognize', () => {
  it('finds JWTs and opaque tokens in mixed text with exact ranges', () => {
    const text = [
      `2024-05-01T12:00:00Z INFO minted token=${JWT} for p1`,
      `TOKEN=${JWT}`,
      `{"access_token": "${AT}", "refresh_token": "${RT}", "id_token": "${JWT}"}`,
      `Authorization: Bearer ${JWT}`,
      `curl -H 'Authorization: bearer ${AT}' https://api.slashid.com`,
      `unsecured: ${UNSECURED}`,
    ].join('\n');
    const tokens = findTokens(text);
    assert.deepEqual(kinds(tokens), [
      ['jwt', JWT],
      ['jwt', JWT],
      ['opaque-access-token', AT],
      ['opaque-refresh-token', RT],
      ['jwt', JWT],
      ['jwt', JWT],
      ['opaque-access-token', AT],
      ['jwt', UNSECURED],
    ]);
    for (const token of tokens) assert.equal(text.slice(token.start, token.end), token.value);
    assert.equal(tokens[0].start, text.indexOf(JWT));
    const bearer = tokens[5];
    assert.equal(text.slice(bearer.bearer!.start, bearer.bearer!.end), `Bearer ${JWT}`);
    assert.equal(text.slice(tokens[6].bearer!.start, tokens[6].bearer!.end), `bearer ${AT}`);
    assert.equal(tokens[0].bearer, undefined);
    assert.deepEqual(rangePosition(text, tokens[5]).start, { line: 3, character: 22 });
    assert.deepEqual(rangePosition(text, tokens[5]).end, { line: 3, character: 22 + JWT.length });
  });

  it('accepts a sentence-ending dot and rejects longer dotted runs', () => {
    assert.deepEqual(kinds(findTokens(`The token is ${JWT}.`)), [['jwt', JWT]]);
    assert.deepEqual(findTokens(`${JWT}.abc`), []);
    assert.deepEqual(findTokens(`${JWT}.a.b ${JWT}`).length, 1); // a JWE-like run, then a real token
    assert.deepEqual(findTokens(`x${JWT}`), []);
    assert.deepEqual(findTokens(`a.${JWT}`), []);
    assert.deepEqual(kinds(findTokens(`?id_token=${JWT}&state=x`)), [['jwt', JWT]]);
    assert.deepEqual(findTokens('eyJhbGciOiJSUzI1NiJ9 only one part, eyJx.y'), []);
  });

  it('does not take lookalikes for opaque tokens', () => {
    assert.deepEqual(
      findTokens('sid_at_short sid_xx_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA xsid_at_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'),
      [],
    );
    assert.deepEqual(kinds(findTokens(`"${AT}"`)), [['opaque-access-token', AT]]);
  });

  it('skips long lines unless asked, and stops at maxTokens', () => {
    const long = `${'x'.repeat(25_000)} ${JWT}`;
    const text = `${long}\nnext ${AT}`;
    assert.deepEqual(kinds(findTokens(text)), [['opaque-access-token', AT]]);
    assert.equal(findTokens(text, { includeLongLines: true }).length, 2);
    assert.equal(findTokens(text, { maxLineLength: 100_000 }).length, 2);
    assert.equal(findTokens(`${AT} ${AT} ${AT}`, { maxTokens: 2 }).length, 2);
  });

  it('searches a range only', () => {
    const text = `${JWT} ${AT} ${RT}`;
    const start = JWT.length + 1;
    assert.deepEqual(kinds(findTokens(text, { range: { start, end: start + AT.length } })), [['opaque-access-token', AT]]);
    assert.deepEqual(findTokens(text, { range: { start, end: start + 10 } }), []);
  });

  it('finds the token at an offset for hovers', () => {
    const text = `first line\nAuthorization: Bearer ${JWT}\r\nTOKEN=${AT}\n`;
    const jwtStart = text.indexOf(JWT);
    assert.equal(tokenAt(text, jwtStart)?.value, JWT);
    assert.equal(tokenAt(text, jwtStart + 100)?.value, JWT);
    assert.equal(tokenAt(text, jwtStart + JWT.length)?.value, JWT); // cursor right after it
    assert.equal(tokenAt(text, text.indexOf('Bearer'))?.value, JWT); // on the Bearer prefix
    assert.equal(tokenAt(text, text.indexOf('Authorization')), undefined);
    assert.equal(tokenAt(text, 3), undefined);
    assert.equal(tokenAt(text, text.indexOf(AT) + 5)?.kind, 'opaque-access-token');
    assert.equal(tokenAt(text, -1), undefined);
    assert.equal(tokenAt(text, text.length + 1), undefined);
  });

  it('maps offsets to positions both ways', () => {
    const text = 'ab\ncd\r\nef\rgh';
    const index = new LineIndex(text);
    assert.equal(index.lineCount, 4);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = index.position(offset);
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue; // inside a CRLF
      assert.deepEqual(positionAt(text, offset), position, `offset ${offset}`);
    }
    assert.deepEqual(index.position(4), { line: 1, character: 1 });
    assert.deepEqual(index.position(7), { line: 2, character: 0 });
    assert.deepEqual(index.position(11), { line: 3, character: 1 });
    assert.deepEqual(index.lineColumn(11), { line: 4, column: 2 });
    assert.deepEqual(lineColumnAt(text, 4), { line: 2, column: 2 });
    assert.equal(index.offsetAt({ line: 1, character: 1 }), 4);
    assert.equal(index.offsetAt({ line: 1, character: 99 }), 5); // clamped before the CRLF
    assert.equal(index.offsetAt({ line: 2, character: 1 }), 8);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), text.length);
  });

  it('is linear on large logs', () => {
    const line = `2024-05-01 INFO request id=42 token=${JWT} ok`;
    const text = Array.from({ length: 5000 }, () => line).join('\n'); // ~5 MB
    const start = performance.now();
    const tokens = findTokens(text, { maxTokens: 10_000 });
    const elapsed = performance.now() - start;
    console.log(`      findTokens: ${elapsed.toFixed(1)} ms for ${(text.length / 1e6).toFixed(1)} MB, ${tokens.length} tokens`);
    assert.equal(tokens.length, 5000);
    assert.ok(elapsed < 1000, `${elapsed} ms`);
  });
});
