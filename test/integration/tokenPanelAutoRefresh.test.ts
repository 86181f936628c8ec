/**
 * Issue 19 L8: with slashid.tokenPanel.autoRefresh on, a token that lives a second is not refreshed every
 * second (once per 30 s at most), and a panel refreshed again and again keeps only the latest token sets,
 * in memory and on screen, saying how many it dropped. Driven through the minter's controller.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MintController } from '../../src/minter/mintController';
import type { Services } from '../../src/services';
import type { Reply, TokenView } from '../../src/tokenPanels/protocol';
import { TOKEN_SETS_KEPT } from '../../src/tokenPanels/panelTokens';
import { getExtension } from './extension';
import { panelRequests } from './panelRequests';
import { connectDemoOfTestEmulator, runCommand } from './services';

const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';

describe('token panel automatic refresh: floor and kept tokens (issue 19 L8)', function () {
  this.timeout(90_000);
  let s: Services;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>> | undefined;
  let minter: MintController;
  const request = panelRequests(() => minter);
  const settings = () => vscode.workspace.getConfiguration('slashid');
  let clientId = '';
  let orgKey = '';

  before(async () => {
    s = (await getExtension().activate()) as Services;
    demo = await connectDemoOfTestEmulator(s);
    const connection = demo.connection;
    orgKey = `${connection.id}#${connection.orgId}`;
    const api = await s.orgApis.forTarget({ connection, orgId: connection.orgId });
    const created = await api.createClient({
      client_name: 'One-second tokens',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      public: false,
      redirect_uris: ['http://127.0.0.1/callback'],
      access_token_duration: 1,
    });
    clientId = created.client_id;
    await s.vault.storeClientSecret(connection.id, clientId, created.client_secret!);
    s.model.invalidate();
    const opened = await runCommand<MintController>('slashid.minter.open');
    assert.ok(opened);
    minter = opened;
    // The minter knows the new client (its origin, for the Refresh action) once its list is loaded.
    const clients = await request({ type: 'loadClients', orgKey });
    assert.ok(clients.kind === 'clients' && clients.clients.some((c) => c.clientId === clientId), JSON.stringify(clients));
  });

  after(async () => {
    await settings().update('tokenPanel.autoRefresh', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await demo?.disconnect();
  });

  const refreshGrants = () => demo!.emulator.requests.filter((r) => r.route === 'POST /oauth2/tokens' && r.status === 200).length;
  const refreshTokenOf = (views: readonly TokenView[]) => {
    const view = [...views].reverse().find((v) => v.title.startsWith('Refresh token') && v.actions?.includes('refresh'));
    assert.ok(view, `no refreshable refresh token among ${views.map((v) => v.title).join(', ')}`);
    return view;
  };

  it('a token living one second is refreshed once, then not again for 30 s', async () => {
    await settings().update('tokenPanel.autoRefresh', true, vscode.ConfigurationTarget.Workspace);
    const before = refreshGrants();
    const minted = await request({ type: 'mint', orgKey, clientId, personId: ALICE, scopes: ['openid', 'offline_access'], claimsText: '' });
    assert.equal(minted.kind, 'minted', JSON.stringify(minted));
    const deadline = Date.now() + 10_000;
    while (minter.autoRefreshState.autoRefreshes < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(minter.autoRefreshState.autoRefreshes, 1, 'the panel refreshed the one-second token once');
    await new Promise((r) => setTimeout(r, 6_000));
    assert.equal(minter.autoRefreshState.autoRefreshes, 1, 'and not again within 30 s of that refresh');
    assert.equal(refreshGrants() - before, 1, 'one refresh reached the API');
    assert.ok(minter.autoRefreshState.armed, 'the next one is armed, 30 s after the last');
    await settings().update('tokenPanel.autoRefresh', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('refreshed again and again, the panel keeps the latest token sets only and says how many it dropped', async () => {
    const minted = await request({ type: 'mint', orgKey, clientId, personId: ALICE, scopes: ['openid', 'offline_access'], claimsText: '' });
    assert.ok(minted.kind === 'minted');
    const first = minted.tokens.map((t) => t.tokenId);
    let refresh = refreshTokenOf(minted.tokens);
    let last: Reply | undefined;
    for (let i = 0; i < 6; i++) {
      last = await request({ type: 'tokenAction', tokenId: refresh.tokenId, action: 'refresh' });
      assert.equal(last.kind, 'tokenActionDone', JSON.stringify(last));
      if (last.kind !== 'tokenActionDone') return;
      refresh = refreshTokenOf(last.added);
      assert.ok(
        minter.autoRefreshState.held <= TOKEN_SETS_KEPT * 3,
        `${minter.autoRefreshState.held} tokens held after ${i + 1} refreshes`,
      );
    }
    assert.ok(last?.kind === 'tokenActionDone' && last.dropped, 'the last refresh dropped an older set');
    assert.match(last.dropped.note, /^\d+ older tokens were dropped from this panel, which keeps the latest 3 sets\.$/);
    assert.equal(minter.autoRefreshState.dropped, (7 - TOKEN_SETS_KEPT) * 3);
    // Gone from memory: the first set cannot be revealed any more, nor shown again after a reload.
    const reveal = await request({ type: 'reveal', tokenId: first[0] });
    assert.equal(reveal.kind, 'failed');
    const shownAgain = (minter.initMessage().results ?? []).map((v) => v.tokenId);
    assert.ok(!first.some((id) => shownAgain.includes(id)), 'the dropped cards are not redrawn');
  });
});
