import * as assert from 'node:assert/strict';
import { autoRefreshDue } from '../../src/tokenPanels/panelTokens';

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
