import * as assert from 'node:assert/strict';
import type { Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import { EMPTY_KEY, EMPTY_ORG, ROOT_KEY, ROOT_ORG, SUB_ORG, ZULU, startSeededEmulator } from './fixtures';
import { children, connectViaCustomUrl, labelOf, resetState, runCommand, script, services } from './services';

describe('organizations', () => {
  let s: Services;
  let emulator: Emulator;

  before(async () => {
    s = await services();
    emulator = await startSeededEmulator();
  });
  after(async () => {
    await resetState(s);
    await emulator.close();
  });
  beforeEach(() => resetState(s));

  it('connects an org through the multi-step input; the key goes to SecretStorage only', async () => {
    const connection = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Root org');
    assert.equal(connection.orgId, ROOT_ORG);
    assert.equal(connection.baseUrl, emulator.url);
    assert.equal(await s.vault.getApiKey(connection.id), ROOT_KEY);
    const stored = JSON.stringify(s.context.globalState.keys().map((k) => s.context.globalState.get(k)));
    assert.ok(!stored.includes(ROOT_KEY), 'the API key reached globalState');
    const roots = await children(s);
    assert.deepEqual(roots.map(labelOf), ['Root org']);
  });

  it('a wrong key gets the API reason and a retry, and nothing is saved until a good key', async () => {
    const ui = script(s, [
      { pick: 'Custom URL' },
      { input: emulator.url },
      { input: 'not-a-uuid' },
      { input: ROOT_ORG },
      { input: 'wrong-key-canary-5e6f' },
      { input: ROOT_KEY },
      { input: 'Root' },
    ]);
    const connection = await runCommand<OrgConnection | undefined>('slashid.orgs.connect');
    assert.ok(connection);
    assert.equal(ui.refusals.length, 2, ui.refusals.join(' | '));
    assert.match(ui.refusals[0], /UUID/);
    assert.match(ui.refusals[1], /401|rejected|invalid/i);
    assert.ok(!ui.refusals[1].includes('wrong-key-canary-5e6f'), 'the refused key was echoed back');
    assert.equal(s.connections.all().length, 1);
  });

  it('cancelling the flow saves nothing', async () => {
    const ui = script(s, [{ pick: 'Custom URL' }, { input: emulator.url }, { input: ROOT_ORG }, { cancel: true }]);
    const result = await runCommand('slashid.orgs.connect');
    assert.equal(result, undefined);
    assert.equal(s.connections.all().length, 0);
    assert.deepEqual(ui.texts('error'), []);
  });

  it('an unreachable URL is refused with a network reason', async () => {
    const closed = await startSeededEmulator();
    const url = closed.url;
    await closed.close();
    const ui = script(s, [{ pick: 'Custom URL' }, { input: url }, { input: ROOT_ORG }, { input: ROOT_KEY }]);
    assert.equal(await runCommand('slashid.orgs.connect'), undefined);
    assert.match(ui.refusals[0] ?? '', /reach|connect|refused/i);
    assert.equal(s.connections.all().length, 0);
  });

  it('several orgs at once; sub-organizations appear under their parent', async () => {
    await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'B root');
    await connectViaCustomUrl(s, emulator, EMPTY_ORG, EMPTY_KEY, 'A empty');
    const roots = await children(s);
    assert.deepEqual(roots.map(labelOf), ['A empty', 'B root']);
    const rootChildren = await children(s, roots[1]);
    const sub = rootChildren.find((n) => n.kind === 'org');
    assert.ok(sub && sub.kind === 'org', 'no sub-org node under the parent');
    assert.equal(sub.target.orgId, SUB_ORG);
    const subClients = await children(s, sub);
    assert.deepEqual(subClients.map(labelOf), ['sub-client']);
    const empty = await children(s, roots[0]);
    assert.equal(empty.length, 1);
    assert.equal(empty[0].kind, 'message');
    assert.equal(empty[0].getTreeItem().contextValue, 'slashid:empty');
    assert.equal(empty[0].getTreeItem().command?.command, 'slashid.clients.create');
  });

  it('renames, replaces the key (checked first) and disconnects after a confirmation', async () => {
    const connection = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Before');
    const [orgNode] = await children(s);
    script(s, [{ input: 'After' }]);
    assert.equal(await runCommand('slashid.orgs.rename', orgNode), true);
    assert.equal(s.connections.get(connection.id)?.name, 'After');

    let ui = script(s, [{ input: 'bad-replacement-key' }, { input: ROOT_KEY }]);
    assert.equal(await runCommand('slashid.orgs.replaceKey', orgNode), true);
    assert.equal(ui.refusals.length, 1);
    assert.equal(await s.vault.getApiKey(connection.id), ROOT_KEY);

    await s.vault.storeClientSecret(connection.id, ZULU, 'secret-to-forget');
    script(s, [{ confirm: false }]);
    assert.equal(await runCommand('slashid.orgs.disconnect', orgNode), false);
    assert.equal(s.connections.all().length, 1);
    ui = script(s, [{ confirm: true }]);
    assert.equal(await runCommand('slashid.orgs.disconnect', orgNode), true);
    assert.match(ui.messages[0].text, /API key and every client secret/);
    assert.equal(s.connections.all().length, 0);
    assert.equal(await s.vault.getApiKey(connection.id), undefined);
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), undefined);
    assert.equal(s.vault.hasClientSecret(connection.id, ZULU), false);
  });
});
