import * as assert from 'node:assert/strict';
import { escapeIcons, inertLabel, inertText, singleLine, UNTRUSTED_TEXT_MAX } from '../../src/slashid/untrustedText';
import { prng } from './fuzzRandom';

/** What inertText does to text of at most UNTRUSTED_TEXT_MAX characters, written out the long way. */
function inertTheLongWay(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ')
      .replace(/\]\s*\(/g, '] (')
      .replace(/<([a-z][a-z0-9+.-]*:)/gi, '‹$1')
  );
}

describe('inertText', () => {
  it('returns text that needs nothing unchanged (the same string), and changes what does', () => {
    const plain = 'billing service 0001';
    assert.equal(inertText(plain), plain);
    assert.equal(inertText('a](command:x)'), 'a] (command:x)');
    assert.equal(inertText('see <command:x>'), 'see ‹command:x>');
    // A control character after a harmless "]" or "<" is still replaced.
    assert.equal(inertText('a]b\nc'), 'a]b c');
    assert.equal(inertText('1 < 2\u202eevil'), '1 < 2 evil');
    assert.equal(inertText('x\u0085y\u2066z'), 'x y z');
  });

  it('gives what the three replacements give, on 5,000 random texts of link syntax, controls and bidi characters', () => {
    const random = prng(0x1e47);
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      ']',
      '(',
      ')',
      '[',
      '<',
      '>',
      ':',
      '+',
      '\n',
      '\t',
      '\u0000',
      '\u007f',
      '\u0085',
      '\u2028',
      '\u202c',
      '\u2067',
      '\u2070',
      'é',
      '$',
    ];
    for (let i = 0; i < 5_000; i++) {
      const length = Math.floor(random() * 24);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      assert.equal(inertText(text), inertTheLongWay(text), JSON.stringify(text));
    }
    assert.ok(UNTRUSTED_TEXT_MAX > 24);
  });
});

describe('singleLine', () => {
  it("leaves no line break of any kind (the token hover's verdicts quote claims with it)", () => {
    assert.equal(singleLine('iss\r## Valid'), 'iss ## Valid');
    assert.equal(singleLine('a\r\n\r\nb\u2028c\u2029d\u0085e\u000bf\u000cg'), 'a b c d e f g');
    assert.equal(singleLine('tab\tbell\u0007esc\u001b[31m bidi\u202e\u2066x'), 'tab bell esc [31m bidi x');
    assert.equal(singleLine('[x](command:y) $(alert)'), '[x](command:y) $(alert)', 'link syntax is for the escapers');
  });
});

describe('escapeIcons (issue 19 L5)', () => {
  it('escapes every $( once, so a name escaped twice (a caller and the status bar) shows no extra backslash', () => {
    const evil = '$(alert) Evil $(loading~spin)';
    assert.equal(escapeIcons(evil), '\\$(alert) Evil \\$(loading~spin)');
    assert.equal(escapeIcons(escapeIcons(evil)), escapeIcons(evil));
    assert.equal(escapeIcons(inertLabel(evil)), inertLabel(evil));
  });
});
