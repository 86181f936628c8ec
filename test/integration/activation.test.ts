import * as assert from 'node:assert/strict';
import { activateExtension, EXTENSION_ID, getExtension } from './extension';

describe('activation', () => {
  it(`${EXTENSION_ID} is loaded from the development path and activates`, async () => {
    const extension = getExtension();
    await activateExtension();
    assert.equal(extension.isActive, true);
  });

  it('activate() returns the test API with the clients tree', async () => {
    const api = await activateExtension();
    assert.equal(typeof api.tree.getChildren, 'function');
    assert.equal(typeof api.tree.getTreeItem, 'function');
  });
});
