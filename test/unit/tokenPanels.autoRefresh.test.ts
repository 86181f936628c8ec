import * as assert from 'node:assert/strict';
import {
  AUTO_REFRESH_FLOOR_MS,
  AUTO_REFRESH_MAX_PER_PANEL,
  autoRefreshDue,
  MIN_AUTO_REFRESH_DELAY_MS,
  nextAutoRefresh,
  PanelTokens,
  TOKEN_SETS_KEPT,
} from '../../src/tokenPanels/panelTokens';

describe('when a token panel refreshes on its own (slashid.tokenPanel.autoRefresh)', () => {
  const at = (issuedAt: number, seconds: number) => ({ issuedAt, expiresAt: issuedAt + seconds * 1000 });

  it('one minute before the access token expires', () => {
    assert.equal(autoRefreshDue(at(1_000_000, 3600)), 1_000_000 + 3540_000);
    assert.equal(autoRefreshDue(at(0, 240)), 180_000);
  });

  it('a quarter of the lifetime before for tokens under four minutes, so short-lived tokens are not refreshed in a loop', () => {
    assert.equal(autoRefreshDue(at(0, 120)), 90_000);
    assert.equal(autoRefreshDue(at(0, 4)), 3_000);
  });
});

describe('how often a token panel refreshes on its own, and what it keeps (issue 19 L8)', () => {
  it('a token living 0 to 5 s is refreshed at most once every 30 s, and at most 20 times per panel', () => {
    for (const lifetimeSeconds of [0, 1, 2, 5]) {
      let now = 1_000_000;
      let lastRefreshAt: number | undefined;
      const times: number[] = [];
      for (let autoRefreshes = 0; ; autoRefreshes++) {
        // Each refresh issues a new set that lives as short as the last.
        const due = autoRefreshDue({ issuedAt: now, expiresAt: now + lifetimeSeconds * 1000 });
        const at = nextAutoRefresh({ due, now, lastRefreshAt, autoRefreshes });
        if (at === 'capped') break;
        assert.ok(at >= now + MIN_AUTO_REFRESH_DELAY_MS, 'never at once');
        if (lastRefreshAt !== undefined)
          assert.ok(at - lastRefreshAt >= AUTO_REFRESH_FLOOR_MS, `${lifetimeSeconds} s: ${at - lastRefreshAt} ms apart`);
        times.push(at);
        now = at;
        lastRefreshAt = at;
        assert.ok(times.length <= AUTO_REFRESH_MAX_PER_PANEL, 'capped');
      }
      assert.equal(times.length, AUTO_REFRESH_MAX_PER_PANEL, `${lifetimeSeconds} s`);
      assert.equal(AUTO_REFRESH_FLOOR_MS, 30_000);
    }
  });

  it('the first refresh of a panel is on time; a manual refresh pushes the next automatic one 30 s out; a long-lived token keeps its own schedule', () => {
    assert.equal(nextAutoRefresh({ due: 3_000, now: 0, lastRefreshAt: undefined, autoRefreshes: 0 }), 3_000);
    assert.equal(nextAutoRefresh({ due: 3_000, now: 0, lastRefreshAt: -1_000, autoRefreshes: 0 }), 29_000);
    const hour = autoRefreshDue({ issuedAt: 0, expiresAt: 3_600_000 });
    assert.equal(nextAutoRefresh({ due: hour, now: 10, lastRefreshAt: 0, autoRefreshes: 5 }), hour);
    assert.equal(nextAutoRefresh({ due: hour, now: 10, lastRefreshAt: 0, autoRefreshes: AUTO_REFRESH_MAX_PER_PANEL }), 'capped');
  });

  it('keeps the latest token sets only and forgets the older ones, counting them', () => {
    const tokens = new PanelTokens();
    const prefix = tokens.startResults();
    const held = (id: string) => tokens.hold(id, { raw: `raw-${id}`, title: id });
    for (const id of ['access', 'id', 'refresh']) held(`${prefix}-${id}`);
    const dropped: string[] = [];
    for (let refresh = 1; refresh <= 50; refresh++) {
      const added = ['access', 'id', 'refresh'].map((k) => `a${refresh}-${k}`);
      added.forEach(held);
      dropped.push(...tokens.refreshed(added));
      assert.ok(tokens.size <= TOKEN_SETS_KEPT * 3, `${tokens.size} tokens held after ${refresh} refreshes`);
    }
    assert.equal(tokens.size, TOKEN_SETS_KEPT * 3);
    assert.equal(tokens.dropped, (51 - TOKEN_SETS_KEPT) * 3);
    assert.deepEqual(dropped.slice(0, 3), [`${prefix}-access`, `${prefix}-id`, `${prefix}-refresh`], 'the first set goes first');
    assert.equal(tokens.get(`${prefix}-refresh`), undefined, 'forgotten from memory');
    assert.ok(tokens.get('a50-refresh'), 'the newest kept');
    tokens.startResults();
    assert.equal(tokens.dropped, 0);
  });
});
