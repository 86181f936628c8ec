import * as assert from 'node:assert/strict';
import { FORBIDDEN_KEYS, MAX_CUSTOM_CLAIMS_BYTES, validateCustomClaims, type ClaimProblem } from '../../src/tokens/claims';
import { RESERVED_CLAIMS } from '../../src/tokens/reservedClaims';

function problems(text: string): ClaimProblem[] {
  const result = validateCustomClaims(text);
  assert.equal(result.ok, result.problems.length === 0);
  return result.problems;
}

function only(text: string): ClaimProblem {
  const found = problems(text);
  assert.equal(found.length, 1, JSON.stringify(found));
  return found[0];
}

/** code, line, column, offset of a problem. */
function where(p: ClaimProblem): [string, number, number, number] {
  return [p.code, p.line, p.column, p.offset];
}

describe('tokens/claims validateCustomClaims', () => {
  describe('valid input', () => {
    it('treats empty or blank text as no custom claims', () => {
      for (const text of ['', '   ', '\n\t\r\n']) {
        assert.deepEqual(validateCustomClaims(text), { ok: true, value: {}, problems: [] });
      }
    });

    it('returns the parsed object', () => {
      const text = '{\n  "foo": "bar",\n  "baz": {"everything": 42, "list": [1, -2.5e3, true, false, null, "\\u00e9\\n"]}\n}';
      const result = validateCustomClaims(text);
      assert.equal(result.ok, true);
      assert.deepEqual(result.value, JSON.parse(text));
      assert.deepEqual(validateCustomClaims('{}').value, {});
    });

    it('accepts near-misses of reserved names and reserved names below the top level', () => {
      for (const key of ['Exp', 'EXP', 'exp_', 'exp ', 'slashid.dev.x', 'slashid.de', 'slashid_dev', 'Sid', 'sids', 'iss2', 'roles ']) {
        assert.equal(validateCustomClaims(JSON.stringify({ [key]: 1 })).ok, true, key);
      }
      assert.equal(validateCustomClaims('{"nested": {"exp": 1, "iss": "x", "slashid.dev": true}, "list": [{"sub": 1}]}').ok, true);
    });
  });

  describe('syntax errors, with exact positions', () => {
    const cases: [string, string, number, number, RegExp][] = [
      ['{', 'end', 1, 2, /Unexpected end of text: expected a property name/],
      ['{"a": 1,}', 'trailing comma', 1, 8, /Trailing comma/],
      ['[1, 2,]', 'trailing comma in array', 1, 6, /Trailing comma/],
      ['{\n  "a": 1\n  "b": 2\n}', 'missing comma', 3, 3, /comma missing/],
      ["{'a': 1}", 'single quotes', 1, 2, /double quotes/],
      ['{a: 1}', 'unquoted key', 1, 2, /Property names must be in double quotes: write "a"/],
      ['{"a" 1}', 'missing colon', 1, 6, /Expected ':' after the property name "a"/],
      ['{"a": }', 'missing value', 1, 7, /Expected a value before '}'/],
      ['{"a": 01}', 'leading zero', 1, 7, /Invalid number "01" \(leading zeros/],
      ['{"a": 1.}', 'bad fraction', 1, 7, /Invalid number "1\."/],
      ['{"a": -}', 'lone minus', 1, 7, /Invalid number "-"/],
      ['{"a": tru}', 'bad literal', 1, 7, /Unexpected word "tru"/],
      ['{"a": truex}', 'literal run-on', 1, 7, /Unexpected word "truex"/],
      ['{"a": NaN}', 'NaN', 1, 7, /NaN and Infinity/],
      ['{"a": undefined}', 'undefined', 1, 7, /use null/],
      ['{"a": "x\ny"}', 'newline in string', 1, 7, /cannot span lines/],
      ['{"a": "x\ty"}', 'tab in string', 1, 9, /Control character U\+0009/],
      ['{"a": "\\x"}', 'bad escape', 1, 8, /Invalid escape \\x/],
      ['{"a": "\\u12G4"}', 'bad unicode escape', 1, 8, /4 hex digits/],
      ['{"a": "abc', 'unterminated', 1, 7, /Unterminated string/],
      ['{"a": 1} x', 'trailing text', 1, 10, /after the end of the JSON value/],
      ['{"a": 1}}', 'extra brace', 1, 9, /after the end/],
      ['{"a": [1, 2}', 'mismatched', 1, 12, /Mismatched bracket: expected '\]', found '}'/],
      ['{\r\n"a": 1,\r\n// note\r\n}', 'comment (CRLF lines)', 3, 1, /Comments are not allowed/],
      ['{"a": 1 /* x */}', 'block comment', 1, 9, /Comments/],
      ['\uFEFF{"a": 1}', 'byte order mark', 1, 1, /byte order mark/],
      ['{"a":\n\n     @}', 'odd character on line 3', 3, 6, /Unexpected '@': expected a value/],
      ['{"a": [1, 2', 'end in array', 1, 12, /expected ',' or '\]'/],
    ];
    for (const [text, name, line, column, message] of cases) {
      it(`${name}: line ${line}, column ${column}`, () => {
        const p = only(text);
        assert.equal(p.code, 'syntax');
        assert.deepEqual([p.line, p.column], [line, column], p.message);
        assert.match(p.message, message);
        const result = validateCustomClaims(text);
        assert.equal(result.value, undefined);
      });
    }

    it('agrees with JSON.parse on what is valid', () => {
      const samples = [
        '{"a":1}',
        '{"a":[]}',
        '{"a":{}}',
        '{"a":"\\"\\\\\\/\\b\\f\\n\\r\\t\\uABCD"}',
        '{"a":1e5,"b":-0.5E-3,"c":0}',
        ' {"a" : [ 1 , { } ] } ',
      ];
      for (const text of samples) {
        assert.doesNotThrow(() => JSON.parse(text));
        assert.equal(validateCustomClaims(text).ok, true, text);
      }
    });

    it('handles deep nesting without recursion', () => {
      const depth = 5000;
      const text = `{"a": ${'['.repeat(depth)}${']'.repeat(depth)}}`;
      assert.equal(validateCustomClaims(text).ok, true);
      assert.equal(only(`{"a": ${'['.repeat(depth)}}`).code, 'syntax');
    });
  });

  describe('not an object', () => {
    for (const [text, kind, column] of [
      ['[1, 2]', 'an array', 1],
      ['"claims"', 'a string', 1],
      ['  42', 'a number', 3],
      ['null', 'null', 1],
      ['true', 'a boolean', 1],
    ] as const) {
      it(`rejects ${kind}`, () => {
        const p = only(text);
        assert.deepEqual(where(p), ['not-object', 1, column, column - 1]);
        assert.match(p.message, new RegExp(`not ${kind}\\.`));
        assert.equal(validateCustomClaims(text).value, undefined);
      });
    }
  });

  describe('reserved claims', () => {
    for (const name of RESERVED_CLAIMS) {
      it(`rejects "${name}" at the top level, with its position and reason`, () => {
        const text = `{\n  "team": "blue",\n  ${JSON.stringify(name)}: 1\n}`;
        const p = only(text);
        assert.deepEqual(where(p), ['reserved-claim', 3, 3, text.indexOf(`"${name}"`)]);
        assert.equal(p.length, name.length + 2);
        assert.equal(p.claim, name);
        assert.ok(p.message.startsWith(`"${name}" is a reserved claim`), p.message);
      });
    }

    it('reports each reserved claim separately, in order', () => {
      const text = '{"exp": 1, "ok": 2,\n "slashid.dev": 3, "iss": 4}';
      const found = problems(text);
      assert.deepEqual(found.map(where), [
        ['reserved-claim', 1, 2, 1],
        ['reserved-claim', 2, 2, 21],
        ['reserved-claim', 2, 20, 39],
      ]);
      assert.deepEqual(
        found.map((p) => p.claim),
        ['exp', 'slashid.dev', 'iss'],
      );
      assert.match(found[0].message, /access-token duration/);
      assert.match(found[1].message, /SlashID namespace/);
      const result = validateCustomClaims(text);
      assert.equal(result.ok, false);
      assert.deepEqual(result.value, JSON.parse(text));
    });

    it('sees through escapes in keys', () => {
      const p = only('{"\\u0065xp": 1}');
      assert.equal(p.claim, 'exp');
      assert.equal(p.length, 10);
    });
  });

  describe('prototype keys', () => {
    for (const key of FORBIDDEN_KEYS) {
      it(`rejects "${key}" at any depth`, () => {
        assert.deepEqual(where(only(`{"${key}": 1}`)), ['forbidden-key', 1, 2, 1]);
        const nested = `{"a": {"b": [\n  {"${key}": {"x": 1}}\n]}}`;
        const p = only(nested);
        assert.deepEqual(where(p), ['forbidden-key', 2, 4, nested.indexOf(`"${key}"`)]);
        assert.equal(p.claim, key);
      });
    }

    it('does not pollute the prototype of the returned value', () => {
      const result = validateCustomClaims('{"__proto__": {"polluted": true}}');
      assert.equal(result.ok, false);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.getPrototypeOf(result.value), Object.prototype);
    });
  });

  describe('duplicate keys', () => {
    it('reports the later occurrence and points at the first', () => {
      const text = '{\n  "team": "blue",\n  "team": "red"\n}';
      const p = only(text);
      assert.deepEqual(where(p), ['duplicate-key', 3, 3, 22]);
      assert.match(p.message, /Duplicate key "team" \(first at line 2, column 3\)/);
    });

    it('compares decoded keys per object, not across objects', () => {
      assert.equal(only('{"a": 1, "\\u0061": 2}').code, 'duplicate-key');
      assert.equal(validateCustomClaims('{"a": {"x": 1}, "b": {"x": 2}}').ok, true);
      const found = problems('{"a": {"x": 1, "x": 2}, "a": 3}');
      assert.deepEqual(found.map(where), [
        ['duplicate-key', 1, 16, 15],
        ['duplicate-key', 1, 25, 24],
      ]);
    });

    it('reports a duplicated reserved claim twice over', () => {
      const found = problems('{"exp": 1, "exp": 2}');
      assert.deepEqual(
        found.map((p) => p.code),
        ['reserved-claim', 'reserved-claim', 'duplicate-key'],
      );
    });
  });

  describe('size', () => {
    it(`rejects more than ${MAX_CUSTOM_CLAIMS_BYTES} bytes of UTF-8`, () => {
      const under = JSON.stringify({ a: 'x'.repeat(MAX_CUSTOM_CLAIMS_BYTES - 10) });
      assert.equal(validateCustomClaims(under).ok, true);
      const over = JSON.stringify({ a: 'x'.repeat(MAX_CUSTOM_CLAIMS_BYTES) });
      const p = only(over);
      assert.deepEqual(where(p), ['too-large', 1, 1, 0]);
      assert.match(p.message, /16,392 bytes of UTF-8; the limit is 16,384 bytes \(16 KB\)/);
      // Multi-byte characters count as their UTF-8 size.
      const euros = JSON.stringify({ a: '€'.repeat(6000) }); // 18,000 bytes in 6,010 characters
      assert.equal(only(euros).code, 'too-large');
      assert.match(only('x'.repeat(2_000_000)).message, /2,000,000 characters long/);
    });
  });

  describe('speed', () => {
    it('validates a 10 KB document in well under 1 ms on average', () => {
      const claims: Record<string, unknown> = {};
      for (let i = 0; JSON.stringify(claims, null, 2).length < 10_000; i++) {
        claims[`claim_${i}`] = { name: `value ${i}`, n: i * 1.5, tags: ['a', 'b\n', i % 2 === 0], nested: { ok: null } };
      }
      const doc = JSON.stringify(claims, null, 2);
      assert.equal(validateCustomClaims(doc).ok, true);
      // The best of several batches, so that a busy machine does not fail the test; bench/ measures properly.
      for (let i = 0; i < 50; i++) validateCustomClaims(doc);
      let average = Infinity;
      for (let batch = 0; batch < 10; batch++) {
        const start = performance.now();
        for (let i = 0; i < 50; i++) validateCustomClaims(doc);
        average = Math.min(average, (performance.now() - start) / 50);
      }
      console.log(`      validateCustomClaims: ${(average * 1000).toFixed(0)} µs per ${doc.length}-character document`);
      assert.ok(average < 1, `${average} ms`);
    });
  });
});
