import * as assert from 'node:assert/strict';
import { base64url } from 'jose';
import { stringFromDebugValue, unquoteStringLiteral } from '../../src/tokens/stringLiterals';
import { tokenOfString, tokensInDebugValue, tokensInJson, tokensInObject } from '../../src/tokens/tokensInValues';
import { mayHoldToken } from '../../src/tokens/mayHoldToken';

const json = (value: unknown) => base64url.encode(JSON.stringify(value));
const JWT = `${json({ alg: 'RS256' })}.${json({ sub: 'p1' })}.${base64url.encode(new Uint8Array(256))}`;
const AT = `sid_at_${'A1b2_C3-'.repeat(5)}xyz`;

describe('tokens/stringLiterals', () => {
  it("unquotes the string literals debuggers show, in each language's quoting", () => {
    const cases: [string, string][] = [
      [`"${JWT}"`, JWT], // JavaScript, JSON, Go, Java, C#, Rust
      [`'${JWT}'`, JWT], // JavaScript, Python, Ruby, PHP
      ['`' + JWT + '`', JWT], // JavaScript template, Go raw string
      [`b'${JWT}'`, JWT], // Python bytes
      [`r'a\\b'`, 'a\\b'], // Python raw string: no escapes
      [`@"say ""hi"""`, 'say "hi"'], // C# verbatim
      [`r#"${JWT}"#`, JWT], // Rust raw string
      [`"a\\"b\\n\\u0041\\x42\\u{1F600}"`, 'a"b\nAB😀'],
    ];
    for (const [literal, value] of cases) {
      assert.deepEqual(unquoteStringLiteral(literal), { value, unterminated: false }, literal);
    }
  });

  it('marks a literal whose closing quote is missing (a shortened display) and refuses what is not one literal', () => {
    assert.deepEqual(unquoteStringLiteral(`'${JWT.slice(0, 40)}…`), { value: `${JWT.slice(0, 40)}…`, unterminated: true });
    assert.equal(unquoteStringLiteral('{a: 1}'), undefined);
    assert.equal(unquoteStringLiteral(`"a" + "b"`), undefined);
    assert.deepEqual(stringFromDebugValue(` ${JWT} `), { value: JWT, unterminated: false }, 'adapters that show strings bare');
  });
});

describe('tokens/tokensInValues', () => {
  it('takes a string that is one token (after Bearer), and nothing else', () => {
    assert.deepEqual(tokenOfString(JWT), { kind: 'jwt', token: JWT });
    assert.deepEqual(tokenOfString(`Bearer ${AT}`), { kind: 'opaque-access-token', token: AT });
    assert.equal(tokenOfString(`token is ${JWT}`), undefined);
    assert.equal(tokenOfString('hello'), undefined);
  });

  it('finds the token-valued fields of a JSON text with their paths', () => {
    const text = JSON.stringify({ access_token: AT, nested: { list: ['x', JWT], 'x-id': JWT }, n: 1 });
    assert.deepEqual(
      tokensInJson(text)?.map((t) => [t.path, t.kind]),
      [
        ['access_token', 'opaque-access-token'],
        ['nested.list[1]', 'jwt'],
        ['nested["x-id"]', 'jwt'],
      ],
    );
    assert.equal(tokensInJson('not json'), undefined);
    assert.deepEqual(tokensInJson('{"a": "b"}'), []);
  });

  it('looks inside strings holding JSON, and survives cycles', () => {
    const value: Record<string, unknown> = { response: JSON.stringify({ id_token: JWT }) };
    value.self = value;
    assert.deepEqual(
      tokensInObject(value).map((t) => t.path),
      ['response.id_token'],
    );
  });
});

describe('tokens/tokensInValues: debugger values', () => {
  it('reads the token of a quoted value in each language, and of a display shortened at its end', () => {
    for (const shown of [`'${JWT}'`, `"${JWT}"`, `b'${JWT}'`, JWT, `"Bearer ${JWT}"`]) {
      assert.deepEqual(tokensInDebugValue(shown), [{ path: '', kind: 'jwt', token: JWT }], shown);
    }
    assert.deepEqual(tokensInDebugValue(`'${JWT.slice(0, -100)}…'`), [{ path: '', kind: 'jwt', token: JWT.slice(0, -100) }]);
  });

  it('offers the tokens of a JSON string and of free text, and nothing for other values', () => {
    const json = JSON.stringify(JSON.stringify({ access_token: AT, id_token: JWT }));
    assert.deepEqual(
      tokensInDebugValue(json).map((t) => t.path),
      ['access_token', 'id_token'],
    );
    assert.deepEqual(
      tokensInDebugValue(`'GET /api Authorization: Bearer ${JWT} and ${AT}'`).map((t) => [t.path, t.kind]),
      [
        ['#1', 'jwt'],
        ['#2', 'opaque-access-token'],
      ],
    );
    assert.deepEqual(tokensInDebugValue("'hello, world'"), []);
    assert.deepEqual(tokensInDebugValue('42'), []);
    assert.equal(mayHoldToken('no tokens here'), false);
  });
});
