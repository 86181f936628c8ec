/**
 * The token minter, driven through its host-side controller: the same validation path as the webview's
 * messages (`dispatch`), against an emulator this suite starts. No clicking; the UI tier does that.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { MintController } from '../../src/minter/mintController';
import { parseHostMessage, type HostMessage, type Reply, type TokenView } from '../../src/tokenPanels/protocol';
import { getExtension } from './extension';
import type { startTestEmulator } from './emulator';
import { connectDemoOfTestEmulator, runCommand } from './services';
import { panelRequests } from './panelRequests';

const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24'; // scopes: openid, offline_access, orders:read, orders:write
const BILLING_SERVICE = '3e9a7c15-4b2d-4f81-9c06-8d1e5a7b2f93'; // scopes: billing:read, billing:write
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';
const MINT_ROUTE = 'POST /oauth2/tokens/mint';

function payloadOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('token minter', function () {
  this.timeout(60_000);
  let services: Services;
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  let minter: MintController;
  let orgKey: string;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>> | undefined;
  const request = panelRequests(() => minter);

  async function mint(clientId: string, scopes: string[], claimsText = ''): Promise<Reply> {
    return request({ type: 'mint', orgKey, clientId, personId: ALICE, scopes, claimsText });
  }

  function mintRequests(): number {
    return emulator.requests.filter((r) => r.route === MINT_ROUTE).length;
  }

  before(async () => {
    services = (await getExtension().activate()) as Services;
    demo = await connectDemoOfTestEmulator(services);
    emulator = demo.emulator;
    const connection = demo.connection;
    orgKey = `${connection.id}#${connection.orgId}`;
    const opened = await runCommand<MintController>('slashid.minter.open');
    assert.ok(opened, 'slashid.minter.open returned no controller');
    minter = opened;
  });

  after(async () => {
    await demo?.disconnect();
  });

  it('offers the connected org, its clients (from the tree model) and searchable persons', async () => {
    assert.ok(minter.initMessage().orgs.some((o) => o.key === orgKey));
    const clients = await request({ type: 'loadClients', orgKey });
    assert.equal(clients.kind, 'clients');
    const portal = clients.kind === 'clients' ? clients.clients.find((c) => c.clientId === PARTNER_PORTAL) : undefined;
    assert.deepEqual(portal?.scopes, ['openid', 'offline_access', 'orders:read', 'orders:write']);
    const persons = await request({ type: 'searchPersons', orgKey, query: 'alice@example.com' });
    assert.equal(persons.kind, 'persons');
    assert.deepEqual(persons.kind === 'persons' ? persons.persons.map((p) => p.personId) : [], [ALICE]);
    const all = await request({ type: 'searchPersons', orgKey, query: '' });
    assert.ok(all.kind === 'persons' && all.persons.length >= 3);
  });

  for (const scopes of [[], ['openid'], ['offline_access'], ['openid', 'offline_access'], ['openid', 'offline_access', 'orders:read']]) {
    it(`mints with scopes [${scopes.join(', ')}] and shows each token decoded and verified`, async () => {
      const reply = await mint(PARTNER_PORTAL, scopes);
      assert.equal(reply.kind, 'minted', JSON.stringify(reply));
      const tokens = reply.kind === 'minted' ? reply.tokens : [];
      const expected = [
        'Access token',
        ...(scopes.includes('openid') ? ['ID token'] : []),
        ...(scopes.includes('offline_access') ? ['Refresh token'] : []),
      ];
      assert.deepEqual(
        tokens.map((t) => t.title),
        expected,
      );
      for (const token of tokens) {
        if (token.title === 'Refresh token') {
          assert.equal(token.kind, 'opaque');
          assert.match(token.note ?? '', /store the client secret to introspect it/i);
        } else {
          assert.equal(token.kind, 'jwt');
          assert.equal(token.verdict.status, 'valid', token.verdict.message);
          assert.ok(token.times.some((t) => t.claim === 'exp' && t.inFuture));
          assert.ok(!token.masked.includes('.'), 'the masked token shows a whole part');
        }
      }
    });
  }

  it('puts custom claims at the top level of the payload, as the seed page shows', async () => {
    const reply = await mint(PARTNER_PORTAL, ['openid'], '{\n  "foo": "bar",\n  "baz": {"everything": 42}\n}');
    assert.equal(reply.kind, 'minted');
    const access = (reply.kind === 'minted' ? reply.tokens : [])[0];
    const payload = JSON.parse(access.payload!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(payload).sort(), [
      'authenticated_methods',
      'baz',
      'exp',
      'first_token',
      'foo',
      'iat',
      'iss',
      'jti',
      'oid',
      'person_id',
    ]);
    assert.deepEqual(payload.authenticated_methods, ['api']);
    assert.equal(payload.foo, 'bar');
    assert.deepEqual(payload.baz, { everything: 42 });
    assert.equal(payload.first_token, false);
    assert.equal(payload.iss, emulator.url);
    assert.equal(payload.oid, emulator.demo.orgId);
    assert.equal(payload.person_id, ALICE);
    assert.deepEqual(access.highlight, ['foo', 'baz']);
    assert.equal(access.verdict.status, 'valid');

    // Reveal gives the raw token; Copy puts it (or the payload) on the clipboard.
    const revealed = await request({ type: 'reveal', tokenId: access.tokenId });
    assert.equal(revealed.kind, 'revealed');
    const raw = revealed.kind === 'revealed' ? revealed.token : '';
    assert.deepEqual(payloadOf(raw), payload);
    await minter.dispatch({ type: 'copy', tokenId: access.tokenId, what: 'token' });
    assert.equal(await vscode.env.clipboard.readText(), raw);
    await minter.dispatch({ type: 'copy', tokenId: access.tokenId, what: 'payload' });
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()), payload);
  });

  const BAD_CLAIMS: [string, string, string][] = [
    ['syntax error', '{"foo": "bar",}', 'syntax'],
    ['unterminated', '{"foo": "bar', 'syntax'],
    ['not an object', '["foo"]', 'not-object'],
    ['a string', '"foo"', 'not-object'],
    ['reserved exp', '{"exp": 1}', 'reserved-claim'],
    ['reserved slashid.dev', '{"slashid.dev": true}', 'reserved-claim'],
    ['reserved custom_claims', '{"custom_claims": {}}', 'reserved-claim'],
    ['__proto__', '{"__proto__": {"admin": true}}', 'forbidden-key'],
    ['nested constructor', '{"a": {"constructor": 1}}', 'forbidden-key'],
    ['duplicate key', '{"a": 1, "a": 2}', 'duplicate-key'],
    ['over 16 KB', JSON.stringify({ big: 'x'.repeat(17 * 1024) }), 'too-large'],
  ];
  for (const [name, text, code] of BAD_CLAIMS) {
    it(`blocks the request when the claims have a problem: ${name}`, async () => {
      const before = mintRequests();
      const reply = await mint(PARTNER_PORTAL, [], text);
      assert.equal(reply.kind, 'mintRejected');
      const problems = reply.kind === 'mintRejected' ? reply.problems : [];
      assert.ok(
        problems.some((p) => p.code === code),
        JSON.stringify(problems),
      );
      assert.ok(problems.every((p) => p.line !== undefined && p.column !== undefined));
      assert.equal(mintRequests(), before, 'a request reached the API');
    });
  }

  it('names each reserved claim with its reason', async () => {
    const reply = await mint(PARTNER_PORTAL, [], '{\n  "iss": "me",\n  "ok": 1,\n  "roles": []\n}');
    assert.equal(reply.kind, 'mintRejected');
    const problems = reply.kind === 'mintRejected' ? reply.problems : [];
    assert.deepEqual(
      problems.map((p) => [p.claim, p.line, p.column]),
      [
        ['iss', 2, 3],
        ['roles', 4, 3],
      ],
    );
    assert.match(problems[0].message, /"iss" is a reserved claim.*issuer/);
  });

  it('shows a server 400 in the problems list', async () => {
    const reply = await mint(BILLING_SERVICE, ['openid']);
    assert.equal(reply.kind, 'mintRejected', JSON.stringify(reply));
    const problems = reply.kind === 'mintRejected' ? reply.problems : [];
    assert.equal(problems.length, 1);
    assert.equal(problems[0].code, 'server');
    assert.match(problems[0].message, /400/);
    assert.match(problems[0].message, /openid/);
  });

  it('shows any server 400 (an injected fault) the same way', async () => {
    emulator.faults.set(MINT_ROUTE, { status: 400, times: 1 });
    try {
      const reply = await mint(PARTNER_PORTAL, [], '{"team": "blue"}');
      assert.equal(reply.kind, 'mintRejected', JSON.stringify(reply));
      assert.equal(reply.kind === 'mintRejected' ? reply.problems[0]?.code : undefined, 'server');
    } finally {
      emulator.faults.clear(MINT_ROUTE);
    }
  });

  it('introspects the refresh token once the client secret is stored', async () => {
    const api = await services.orgApis.forTarget({
      connection: services.connections.get(demo!.connection.id)!,
      orgId: emulator.demo.orgId,
    });
    const { client_secret } = await api.rotateClientSecret(PARTNER_PORTAL);
    await services.vault.storeClientSecret(demo!.connection.id, PARTNER_PORTAL, client_secret);
    try {
      const reply = await mint(PARTNER_PORTAL, ['offline_access']);
      const refresh = (reply.kind === 'minted' ? reply.tokens : []).find((t) => t.title === 'Refresh token');
      assert.ok(refresh, JSON.stringify(reply));
      assert.equal(refresh.verdict.status, 'valid', refresh.verdict.message);
      assert.equal((JSON.parse(refresh.introspection!) as { active: boolean }).active, true);
    } finally {
      await services.vault.deleteClientSecret(demo!.connection.id, PARTNER_PORTAL);
    }
  });

  it('drops malformed messages without acting on them', async () => {
    const before = mintRequests();
    for (const raw of [
      null,
      'mint',
      { type: 'mint' },
      { type: 'mint', requestId: -1, orgKey, clientId: PARTNER_PORTAL, personId: ALICE, scopes: [], claimsText: '' },
      { type: 'nope', requestId: 1 },
    ]) {
      assert.equal(await minter.dispatch(raw), undefined);
    }
    assert.equal(mintRequests(), before);
  });

  it('refuses an org the user has not connected', async () => {
    const reply = await request({
      type: 'mint',
      orgKey: 'evil@https://attacker.example#00000000-0000-0000-0000-000000000000',
      clientId: PARTNER_PORTAL,
      personId: ALICE,
      scopes: [],
      claimsText: '',
    });
    assert.equal(reply.kind, 'failed');
  });

  it('opens from a client node with that client preselected (the same panel)', async () => {
    const tree = services.tree as unknown as vscode.TreeDataProvider<{ kind: string; client?: { client_id: string } }>;
    const [org] = (await tree.getChildren()) ?? [];
    assert.ok(org);
    const node = ((await tree.getChildren(org)) ?? []).find((n) => n.kind === 'client' && n.client?.client_id === PARTNER_PORTAL);
    assert.ok(node, 'no Partner Portal node in the tree');
    const again = await runCommand<MintController>('slashid.minter.open', node);
    assert.equal(again, minter);
    assert.deepEqual(minter.initMessage().preselect, { orgKey, clientId: PARTNER_PORTAL });
  });

  it('never writes a minted token to globalState or settings', async () => {
    const reply = await mint(PARTNER_PORTAL, ['openid', 'offline_access'], '{"canary": "c4n4ry"}');
    assert.equal(reply.kind, 'minted');
    const raws: string[] = [];
    for (const token of reply.kind === 'minted' ? reply.tokens : []) {
      const r = await request({ type: 'reveal', tokenId: token.tokenId });
      if (r.kind === 'revealed') raws.push(r.token);
    }
    assert.equal(raws.length, 3);
    const state = JSON.stringify(services.context.globalState.keys().map((k) => services.context.globalState.get(k)));
    const settings = JSON.stringify(vscode.workspace.getConfiguration('slashid'));
    for (const raw of raws) {
      assert.ok(!state.includes(raw), 'a token is in globalState');
      assert.ok(!settings.includes(raw), 'a token is in the settings');
    }
    const views: TokenView[] = reply.kind === 'minted' ? reply.tokens : [];
    for (const view of views) for (const raw of raws) assert.ok(!JSON.stringify(view).includes(raw), 'a view carries a raw token');
  });

  it('answers with messages that pass its own protocol validation', async () => {
    const message: HostMessage = minter.initMessage();
    assert.equal(parseHostMessage(message).ok, true);
    const clients = await minter.dispatch({ type: 'loadClients', requestId: 1_000_000, orgKey });
    assert.equal(parseHostMessage(clients).ok, true);
  });
});
