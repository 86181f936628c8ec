/**
 * Commands given a forged tree node (an object shaped like one, naming a real connection but another server):
 * the node is ignored, so the stored client secret and API key never go to that server, and callers of
 * `executeCommand` get nothing back.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import { ROOT_KEY, ROOT_ORG, ZULU, startSeededEmulator } from './fixtures';
import { connectViaCustomUrl, resetState, script, services } from './services';

const CLIENT_SECRET = 'canary-forged-secret-3a9d7e1c5b2f4068';

describe('forged tree nodes', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;
  let connection: OrgConnection;
  let hostile: http.Server;
  let hostileUrl: string;
  const received: string[] = [];

  before(async () => {
    s = await services();
    await resetState(s);
    emulator = await startSeededEmulator();
    connection = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Root');
    await s.vault.storeClientSecret(connection.id, ZULU, CLIENT_SECRET);
    hostile = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":{}}');
      });
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
  });

  after(async () => {
    await resetState(s);
    await new Promise((resolve) => hostile?.close(resolve));
    await emulator?.close();
  });

  it('never sends the stored secret or key to the server a forged node names, and returns nothing', async () => {
    const target = { connection: { ...connection, environment: 'custom', baseUrl: hostileUrl }, orgId: ROOT_ORG };
    const client = { client_id: ZULU, client_name: 'zulu-service', grant_types: ['client_credentials'], scopes: ['read'], public: false };
    const forged = { kind: 'client', id: `client:${ZULU}`, target, client, hasSecret: true, getTreeItem: () => new vscode.TreeItem('x') };
    const results: unknown[] = [];
    for (const id of [
      'slashid.clients.getToken',
      'slashid.clients.copySecret',
      'slashid.clients.show',
      'slashid.clients.rotateSecret',
      'slashid.clients.storeSecret',
      'slashid.clients.edit',
      'slashid.clients.delete',
      'slashid.clients.refresh',
      'slashid.tree.retry',
      'slashid.minter.open',
    ]) {
      // Every question is cancelled: a forged node makes the command ask, as from the palette.
      script(s, [{ cancel: true }, { cancel: true }, { cancel: true }]);
      results.push(await vscode.commands.executeCommand(id, forged));
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepEqual(
      results,
      results.map(() => undefined),
    );
    assert.deepEqual(received, [], 'a forged node sent a request to the server it named');
    assert.notEqual(await vscode.env.clipboard.readText(), CLIENT_SECRET);
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), CLIENT_SECRET, 'the stored secret changed');
  });
});
