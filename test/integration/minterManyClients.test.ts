/**
 * The minter with an organization of 10,001 clients, one of them with a 501-character name: each reply to the
 * webview is one the webview accepts (a page, not every client), the search finds any client, and minting works
 * for a client far down the list.
 */
import * as assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { MintController } from '../../src/minter/mintController';
import { renameClients, startApiProxy } from './apiProxy';
import { connectViaCustomUrl, resetState, runCommand, services } from './services';
import { panelRequests } from './panelRequests';

const ORG = '6a6a6a6a-0000-4000-8000-000000000001';
const KEY = 'many-clients-key-3e4f5a6b7c8d9e0f';
const PERSON = '6a6a6a6a-0000-4000-8000-0000000000a1';
const CLIENT_COUNT = 10_001;
const clientId = (i: number) => `6a6a6a6a-0000-4000-8000-${String(i).padStart(12, '0')}`;
const LONG_NAME = `${'long name '.repeat(50)}!`; // 501 characters

describe('token minter with 10,001 clients', function () {
  this.timeout(120_000);
  let s: Services;
  let emulator: Emulator;
  let proxy: Awaited<ReturnType<typeof startApiProxy>> | undefined;
  let minter: MintController;
  let orgKey: string;
  const request = panelRequests(() => minter);

  before(async () => {
    s = await services();
    await resetState(s);
    emulator = await startEmulator({
      port: 0,
      demo: false,
      seed: {
        orgs: [{ id: ORG, api_key: KEY, name: 'Many' }],
        persons: [{ person_id: PERSON, org_id: ORG }],
        clients: Array.from({ length: CLIENT_COUNT }, (_, i) => ({
          client_id: clientId(i),
          client_name: `client-${String(i).padStart(5, '0')}`,
          org_id: ORG,
          grant_types: ['authorization_code'],
          scopes: ['openid'],
        })),
      },
    });
    // In front of the emulator, whose seed allows names of 256 characters at most: client 7 gets a 501-character one.
    // The person's handle is made 612 characters long the same way.
    const renamed = renameClients({ [clientId(7)]: LONG_NAME });
    proxy = await startApiProxy(emulator.url, {
      rewrite: (method, path, body) => {
        if (method === 'GET' && path === '/persons') {
          for (const person of (body as { result?: { handles?: unknown[] }[] }).result ?? []) {
            person.handles = [{ type: 'email_address', value: `${'p'.repeat(600)}@example.com` }];
          }
          return body;
        }
        return renamed!(method, path, body);
      },
    });
    const connection = await connectViaCustomUrl(s, proxy, ORG, KEY, 'Many clients');
    orgKey = `${connection.id}#${connection.orgId}`;
    const opened = await runCommand<MintController>('slashid.minter.open');
    assert.ok(opened, 'slashid.minter.open gave no controller');
    minter = opened;
  });

  after(async () => {
    await resetState(s);
    await proxy?.close();
    await emulator?.close();
  });

  it('sends a page of clients the webview accepts, and says how many there are', async () => {
    const reply = await request({ type: 'loadClients', orgKey });
    assert.equal(reply.kind, 'clients', JSON.stringify(reply).slice(0, 300));
    if (reply.kind !== 'clients') return;
    assert.equal(reply.matching, CLIENT_COUNT);
    assert.ok(reply.clients.length > 0 && reply.clients.length <= 201, `${reply.clients.length} clients in one message`);
  });

  it('shortens a 501-character name for display', async () => {
    const reply = await request({ type: 'loadClients', orgKey, query: 'long name' });
    assert.equal(reply.kind, 'clients');
    if (reply.kind !== 'clients') return;
    assert.equal(reply.matching, 1);
    const [long] = reply.clients;
    assert.equal(long.clientId, clientId(7));
    assert.ok(long.name.length <= 200 && long.name.endsWith('…'), `name of ${long.name.length} characters`);
  });

  it("shortens a person's long handle in the person search", async () => {
    const reply = await request({ type: 'searchPersons', orgKey, query: '' });
    assert.equal(reply.kind, 'persons', JSON.stringify(reply).slice(0, 300));
    if (reply.kind !== 'persons') return;
    const [person] = reply.persons;
    assert.equal(person.personId, PERSON);
    assert.ok(person.label.length <= 500 && person.label.endsWith('…'), `label of ${person.label.length} characters`);
  });

  it('finds a client far down the list by name or ID, keeps the chosen one, and mints for it', async () => {
    const byName = await request({ type: 'loadClients', orgKey, query: 'CLIENT-09999' });
    assert.ok(byName.kind === 'clients' && byName.clients.map((c) => c.clientId).includes(clientId(9999)));
    const byId = await request({ type: 'loadClients', orgKey, query: clientId(10_000) });
    assert.ok(byId.kind === 'clients' && byId.matching === 1 && byId.clients[0].clientId === clientId(10_000));
    const withChosen = await request({ type: 'loadClients', orgKey, include: clientId(10_000) });
    assert.ok(withChosen.kind === 'clients' && withChosen.clients.some((c) => c.clientId === clientId(10_000)));

    const minted = await request({
      type: 'mint',
      orgKey,
      clientId: clientId(10_000),
      personId: PERSON,
      scopes: ['openid'],
      claimsText: '',
    });
    assert.equal(minted.kind, 'minted', JSON.stringify(minted).slice(0, 300));
  });
});
