import * as assert from 'node:assert/strict';
import { RENDER_JSON_MAX_DEPTH, renderJson } from '../../src/tokens/renderJson';

/** Issue 10, item 10: one depth-limited JSON renderer for hovers, the token viewer and client details. */
describe('tokens/renderJson', () => {
  it('renders ordinary values exactly as JSON.stringify(value, null, 2)', () => {
    const values: unknown[] = [
      { iss: 'https://api.slashid.com', aud: ['a', 'b'], exp: 1700000000, nested: { ok: true, none: null, list: [] }, empty: {} },
      [1, 'two', { three: 3 }, [4]],
      'text with "quotes" and \n newline',
      42,
      null,
      { skipped: undefined, kept: 1, notFinite: Number.NaN },
    ];
    for (const value of values) {
      const rendered = renderJson(value);
      assert.equal(rendered.text, JSON.stringify(value, null, 2));
      assert.equal(rendered.cut, 0);
      assert.equal(rendered.note, undefined);
    }
  });

  it('cuts a payload nested 5,000 levels deep, stays valid JSON and says what was cut', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`) as unknown;
    assert.throws(() => JSON.stringify(deep, null, 2), RangeError, 'the reason for this renderer');
    const rendered = renderJson({ sub: 'p1', deep });
    assert.equal(rendered.cut, 1);
    assert.match(
      rendered.note ?? '',
      new RegExp(`Nesting deeper than ${RENDER_JSON_MAX_DEPTH} levels is not shown: 1 object or array appears as "\\{…\\}"`),
    );
    const back = JSON.parse(rendered.text) as Record<string, unknown>;
    assert.equal(back.sub, 'p1');
    assert.ok(rendered.text.includes('"{…}"'));
    assert.ok(rendered.text.length < 10_000, `${rendered.text.length} characters`);
  });

  it('shows exactly maxDepth levels, and arrays cut as "[…]"', () => {
    assert.equal(renderJson({ a: { b: 1 } }, { maxDepth: 2 }).cut, 0);
    const cut = renderJson({ a: { b: [1] } }, { maxDepth: 2 });
    assert.deepEqual(JSON.parse(cut.text), { a: { b: '[…]' } });
    assert.equal(cut.cut, 1);
  });

  it('never throws: cycles, throwing getters, bigints, a huge depth asked for', () => {
    const cyclic: Record<string, unknown> = { name: 'c' };
    cyclic.self = cyclic;
    const withGetter = Object.defineProperty({ ok: 1 }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    assert.deepEqual(JSON.parse(renderJson(cyclic).text), { name: 'c', self: '(circular)' });
    assert.match(renderJson(cyclic).note ?? '', /contains itself/);
    assert.deepEqual(JSON.parse(renderJson(withGetter).text), { ok: 1 });
    assert.equal(renderJson(10n).text, '10');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const rendered = renderJson(deep, { maxDepth: 1e9 });
    assert.ok(rendered.cut === 1 && rendered.note !== undefined);
  });
});
