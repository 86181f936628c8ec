import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/index';
import type { FaultRegistry } from '../../emulator/faults';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import type { ClientNode } from '../../src/clients/treeNodes';
import type { OAuth2Client } from '../../src/slashid/schemas';
import { ALPHA, EMPTY_KEY, EMPTY_ORG, ROOT_KEY, ROOT_ORG, ZULU, startSeededEmulator } from './fixtures';
import { children, connectViaCustomUrl, labelOf, logText, resetState, runCommand, script, services } from './services';

async function clientNodes(s: Services): Promise<ClientNode[]> {
  const [org] = await children(s);
  return (await children(s, org)).filter((n): n is ClientNode => n.kind === 'client');
}

async function clientNode(s: Services, name: string): Promise<ClientNode> {
  const node = (await clientNodes(s)).find((n) => n.client.client_name === name);
  assert.ok(node, `no client "${name}" in the tree`);
  return node;
}

describe('clients tree and commands', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;
  let connection: OrgConnection;

  before(async () => {
    s = await services();
  });
  after(async () => {
    await vscode.workspace.getConfiguration('slashid').update('requestTimeout', undefined, vscode.ConfigurationTarget.Global);
    await resetState(s);
  });
  // A fresh emulator per test: each starts from the same seed.
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await resetState(s);
    connection = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Root');
  });
  afterEach(() => emulator.close());

  it('lists clients sorted by name with grant types, and every detail', async () => {
    const nodes = await clientNodes(s);
    assert.deepEqual(nodes.map(labelOf), ['Alpha app', 'zulu-service']);
    assert.equal(nodes[0].getTreeItem().description, 'authorization_code');
    const details = await children(s, nodes[0]);
    const byLabel = new Map(details.map((d) => [labelOf(d), d.getTreeItem().description]));
    assert.equal(byLabel.get('Client ID'), ALPHA);
    assert.equal(byLabel.get('Grant types'), 'authorization_code');
    assert.equal(byLabel.get('Redirect URIs'), 'https://alpha.example.com/cb');
    assert.equal(byLabel.get('Access token lifetime'), '1 day');
    assert.equal(byLabel.get('Refresh token lifetime'), '10 days');
    assert.equal(byLabel.get('Type'), 'confidential');
    assert.ok(byLabel.has('Scopes') && byLabel.has('Response types') && byLabel.has('Created') && byLabel.has('Last used'));
  });

  it('keeps the newest load when an older one answers while the newer is still loading', async () => {
    const [org] = await children(s);
    assert.ok(org?.kind === 'org');
    const target = org.target;
    // Resolves when the emulator takes the next fault of the route, that is when that request has arrived.
    const arrival = () =>
      new Promise<void>((resolve) => {
        const registry = emulator.faults as FaultRegistry; // the emulator runs in this process
        const take = registry.take.bind(registry);
        registry.take = (route) => {
          const fault = take(route);
          if (route === 'GET /oauth2/clients' && fault) {
            registry.take = take;
            resolve();
          }
          return fault;
        };
      });
    // The older load (started before a refresh) is answered after 300 ms; the newer one after 1,200 ms.
    emulator.faults.set('GET /oauth2/clients', { delayMs: 300, times: 1 });
    const olderArrived = arrival();
    s.model.invalidate(target);
    const older = s.model.load(target);
    await olderArrived;
    emulator.faults.set('GET /oauth2/clients', { delayMs: 1_200, times: 1 });
    const newerArrived = arrival();
    s.model.invalidate(target);
    const newer = s.model.load(target);
    await newerArrived;
    const [olderState, newerState] = await Promise.all([older, newer]);
    assert.notEqual(olderState, newerState, 'the refresh did not start a new load');
    assert.equal(newerState.kind, 'loaded');
    // The answer of the older load (possibly stale) must not stand in for the newer one.
    assert.equal(s.model.peek(target), newerState, "the cache kept the older load's answer, not the newest");
  });

  it('creates a client; the secret goes to SecretStorage and the tree shows the secret badge', async () => {
    const ui = script(s, [
      { input: 'billing-service' },
      { pickMany: ['client_credentials'] },
      { input: 'read:invoices write:invoices' },
      { input: '1h' },
    ]);
    const [org] = await children(s);
    const created = await runCommand<OAuth2Client>('slashid.clients.create', org);
    ui.assertDone();
    assert.ok(created, ui.texts().join(' | '));
    assert.equal(created.access_token_duration, 3600);
    assert.deepEqual(created.scopes, ['read:invoices', 'write:invoices']);
    const secret = await s.vault.getClientSecret(connection.id, created.client_id);
    assert.ok(secret && secret.length > 10, 'no secret stored');
    assert.ok(!ui.texts().some((t) => t.includes(secret)), 'the secret appeared in a message');
    const node = await clientNode(s, 'billing-service');
    assert.equal(node.getTreeItem().contextValue, 'slashid:client:withSecret');
    // Get a client-credentials token with the stored secret; the opaque token is introspected.
    script(s, [{ pickMany: ['read:invoices'] }]);
    const result = await runCommand<{
      token: { access_token: string; scope: string };
      introspection?: { active: boolean };
    }>('slashid.clients.getToken', node);
    assert.ok(result?.token.access_token.startsWith('sid_at_'));
    assert.equal(result.token.scope, 'read:invoices');
    assert.equal(result.introspection?.active, true);
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc && !doc.getText().includes(result.token.access_token), 'the token document shows the whole token');
    assert.match(doc.getText(), /"active": true/);
  });

  it('validates create input: redirect URIs are required for authorization_code and must be absolute', async () => {
    const ui = script(s, [
      { input: 'web-app' },
      { pickMany: ['authorization_code'] },
      { input: 'openid' },
      { pick: 'Public' },
      { input: '' },
      { input: 'not a url' },
      { input: 'https://app.example.com/callback' },
      { input: '86400' },
      { input: '10d' },
    ]);
    const [org] = await children(s);
    const created = await runCommand<OAuth2Client>('slashid.clients.create', org);
    assert.equal(ui.refusals.length, 2, ui.refusals.join(' | '));
    assert.match(ui.refusals[0], /at least one redirect URI/);
    assert.match(ui.refusals[1], /absolute URI/);
    assert.equal(created.public, true);
    assert.deepEqual(created.redirect_uris, ['https://app.example.com/callback']);
    assert.equal(created.refresh_token_duration, 864000);
    assert.equal(await s.vault.getClientSecret(connection.id, created.client_id), undefined, 'a public client got a stored secret');
  });

  it('rotates a secret: stores the new one and proves it with a token; the old one stops working', async () => {
    const node = await clientNode(s, 'zulu-service');
    script(s, [{ confirm: false }]);
    assert.equal(await runCommand('slashid.clients.rotateSecret', node), 'cancelled');
    const ui = script(s, [{ confirm: true }]);
    assert.equal(await runCommand('slashid.clients.rotateSecret', node), 'rotated-and-verified');
    assert.match(ui.messages[0].text, /stops working at once/);
    const first = await s.vault.getClientSecret(connection.id, ZULU);
    assert.ok(first);
    script(s, [{ confirm: true }]);
    assert.equal(await runCommand('slashid.clients.rotateSecret', node), 'rotated-and-verified');
    const second = await s.vault.getClientSecret(connection.id, ZULU);
    assert.notEqual(second, first);
    const api = await s.orgApis.forTarget(node.target);
    await assert.rejects(api.getClientCredentialsToken(ZULU, first), /rejected|invalid_client|401/i);
  });

  it('a failed rotation leaves the stored secret untouched; a lost answer is said plainly; writes are not replayed', async () => {
    const node = await clientNode(s, 'zulu-service');
    await s.vault.storeClientSecret(connection.id, ZULU, 'previous-secret');
    emulator.faults.set('PUT /oauth2/clients/:id/secret', { status: 503, times: 1 });
    let ui = script(s, [{ confirm: true }]);
    const before = emulator.requests.filter((r) => r.route === 'PUT /oauth2/clients/:id/secret').length;
    assert.equal(await runCommand('slashid.clients.rotateSecret', node), undefined);
    const after = emulator.requests.filter((r) => r.route === 'PUT /oauth2/clients/:id/secret').length;
    assert.equal(after - before, 1, 'the rotation was sent more than once');
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), 'previous-secret');
    assert.match(ui.texts('error')[0] ?? '', /503|unavailable/i);

    emulator.faults.set('PUT /oauth2/clients/:id/secret', { drop: true, times: 1 });
    ui = script(s, [{ confirm: true }]);
    await runCommand('slashid.clients.rotateSecret', node);
    assert.match(ui.texts('error')[0] ?? '', /no answer arrived/);
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), 'previous-secret');
  });

  it('shows client details as a read-only JSON document; 404 is explained', async () => {
    const node = await clientNode(s, 'Alpha app');
    script(s, []);
    const client = await runCommand<OAuth2Client>('slashid.clients.show', node);
    assert.equal(client.client_id, ALPHA);
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'slashid-readonly');
    assert.equal((JSON.parse(doc.getText()) as OAuth2Client).client_id, ALPHA);

    emulator.faults.set('GET /oauth2/clients/:id', { status: 404, times: 1 });
    const ui = script(s, []);
    assert.equal(await runCommand('slashid.clients.show', node), undefined);
    assert.match(ui.texts('error')[0] ?? '', /not found|404/i);
  });

  it('edits a client name and lifetime with PATCH', async () => {
    const node = await clientNode(s, 'zulu-service');
    script(s, [{ pick: 'Name' }, { input: 'yankee-service' }]);
    const updated = await runCommand<OAuth2Client>('slashid.clients.edit', node);
    assert.equal(updated.client_name, 'yankee-service');
    script(s, [{ pick: 'Access token lifetime' }, { input: 'forever' }, { input: '15m' }]);
    const again = await runCommand<OAuth2Client>('slashid.clients.edit', await clientNode(s, 'yankee-service'));
    assert.equal(again.access_token_duration, 900);
    assert.deepEqual((await clientNodes(s)).map(labelOf), ['Alpha app', 'yankee-service']);
  });

  it('deletes a client after a modal confirmation naming it, and removes its secret', async () => {
    const node = await clientNode(s, 'zulu-service');
    await s.vault.storeClientSecret(connection.id, ZULU, 'doomed-secret');
    script(s, [{ confirm: false }]);
    assert.equal(await runCommand('slashid.clients.delete', node), false);
    const ui = script(s, [{ confirm: true }]);
    assert.equal(await runCommand('slashid.clients.delete', node), true);
    assert.match(ui.messages[0].text, /zulu-service/);
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), undefined);
    assert.deepEqual((await clientNodes(s)).map(labelOf), ['Alpha app']);
    s.model.invalidate();
    assert.deepEqual((await clientNodes(s)).map(labelOf), ['Alpha app'], 'the API still lists the deleted client');
  });

  it('copies the client ID and the stored secret; says so when no secret is stored', async () => {
    const node = await clientNode(s, 'zulu-service');
    script(s, []);
    await runCommand('slashid.clients.copyId', node);
    assert.equal(await vscode.env.clipboard.readText(), ZULU);
    let ui = script(s, []);
    assert.equal(await runCommand('slashid.clients.copySecret', node), false);
    assert.match(ui.texts('info')[0] ?? '', /No secret is stored/);
    // Store an existing secret: the wrong one is refused by a real token request, the right one kept.
    const api = await s.orgApis.forTarget(node.target);
    const { client_secret: real } = await api.rotateClientSecret(ZULU);
    ui = script(s, [{ input: 'wrong-secret' }]);
    assert.equal(await runCommand('slashid.clients.storeSecret', node), false);
    assert.match(ui.texts('error')[0] ?? '', /rejected/);
    script(s, [{ input: real }]);
    assert.equal(await runCommand('slashid.clients.storeSecret', node), true);
    script(s, []);
    assert.equal(await runCommand('slashid.clients.copySecret', node), true);
    assert.equal(await vscode.env.clipboard.readText(), real);
  });

  it('works from the palette too: asks which client with a quick pick', async () => {
    await connectViaCustomUrl(s, emulator, EMPTY_ORG, EMPTY_KEY, 'Second org');
    const ui = script(s, [{ pick: 'Root' }, { pick: 'zulu-service' }]);
    assert.equal(await runCommand('slashid.clients.copyId'), ZULU);
    assert.equal(await vscode.env.clipboard.readText(), ZULU);
    assert.equal(ui.asked.length, 2, ui.asked.join(' | '));
    script(s, [{ pick: 'Root' }, { cancel: true }]);
    assert.equal(await runCommand('slashid.clients.copyId'), undefined, 'cancelling the client pick does nothing');
  });

  it('copies the last request as curl with the key redacted', async () => {
    script(s, []);
    const curl = await runCommand<string>('slashid.requests.copyAsCurl');
    assert.match(curl, /^curl /);
    assert.match(curl, /oauth2\/clients/);
    assert.ok(!curl.includes(ROOT_KEY), 'the API key is in the curl command');
    assert.equal(await vscode.env.clipboard.readText(), curl);
  });

  for (const [name, fault, pattern] of [
    ['a 500', { status: 500 }, /500/],
    ['a dropped connection', { drop: true }, /connection|reach|closed|reset/i],
    ['a malformed body', { malformed: 'truncated' as const }, /JSON|malformed|not valid/i],
    ['a body breaking the schema', { malformed: 'schema' as const }, /schema|expected|field|result/i],
  ] as const) {
    it(`shows ${name} as an error item with a retry that recovers`, async () => {
      emulator.faults.set('GET /oauth2/clients', fault);
      s.model.invalidate();
      const [org] = await children(s);
      const items = await children(s, org);
      const error = items.find((n) => n.kind === 'message');
      assert.ok(error, `no error item: ${items.map(labelOf).join(', ')}`);
      const item = error.getTreeItem();
      assert.equal(item.contextValue, 'slashid:error');
      assert.match(String(item.description), pattern);
      assert.equal(item.command?.command, 'slashid.tree.retry');
      emulator.faults.clear();
      await vscode.commands.executeCommand(item.command.command, ...((item.command.arguments ?? []) as unknown[]));
      assert.deepEqual((await clientNodes(s)).map(labelOf), ['Alpha app', 'zulu-service']);
    });
  }

  it('checks every field of every client: one broken field shows an error item naming it', async () => {
    emulator.faults.set('GET /oauth2/clients', { malformed: 'field', field: 'scopes', times: 1 });
    s.model.invalidate();
    const [org] = await children(s);
    const [error] = await children(s, org);
    const item = error.getTreeItem();
    assert.equal(item.contextValue, 'slashid:error');
    assert.match(String(item.description), /field result\[0\]\.scopes: expected array, got an integer/);
    await vscode.commands.executeCommand(item.command!.command, ...((item.command!.arguments ?? []) as unknown[]));
    assert.deepEqual((await clientNodes(s)).map(labelOf), ['Alpha app', 'zulu-service']);
  });

  it('shows a timeout as an error item, per the slashid.requestTimeout setting', async () => {
    await vscode.workspace.getConfiguration('slashid').update('requestTimeout', 1, vscode.ConfigurationTarget.Global);
    emulator.faults.set('GET /oauth2/clients', { delayMs: 2500 });
    s.model.invalidate();
    const [org] = await children(s);
    const [error] = await children(s, org);
    assert.equal(error?.getTreeItem().contextValue, 'slashid:error');
    assert.match(String(error.getTreeItem().description), /1 s|second|time/i);
    await vscode.workspace.getConfiguration('slashid').update('requestTimeout', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows a rejected key (401) as an error item naming the fix', async () => {
    await s.vault.storeApiKey(connection.id, 'revoked-canary-key-1a2b3c');
    s.model.invalidate();
    const [org] = await children(s);
    const [error] = await children(s, org);
    assert.equal(error?.getTreeItem().contextValue, 'slashid:error');
    assert.match(String(error.getTreeItem().description), /401|rejected/i);
    assert.ok(!String(error.getTreeItem().description).includes('revoked-canary-key-1a2b3c'));
  });

  it('never writes the API key or a client secret to the log, settings or globalState', async () => {
    const secret = await s.vault.getClientSecret(connection.id, ZULU);
    const log = await logText(s);
    assert.ok(log.includes('GET /oauth2/clients'), 'the log has no request lines');
    for (const canary of [ROOT_KEY, 'revoked-canary-key-1a2b3c', 'wrong-key-canary-5e6f', secret].filter((x): x is string => !!x)) {
      assert.ok(!log.includes(canary), `the log contains ${canary.slice(0, 6)}…`);
      const state = JSON.stringify(s.context.globalState.keys().map((k) => s.context.globalState.get(k)));
      assert.ok(!state.includes(canary));
      const settings = JSON.stringify(vscode.workspace.getConfiguration('slashid'));
      assert.ok(!settings.includes(canary));
    }
  });
});
