/**
 * Issue 19, item 1 and L10, in the real extension host against the emulator: the demo's own "Mobile App"
 * (a public client whose only redirect URI is the private-use `com.example.mobile:/oauth/callback`) runs
 * the authorization-code flow once the modal has added the loopback URI, and Edit Client saves its
 * custom-scheme URIs; failures name it "Mobile App", not by its ID. For a public client of a production
 * organization the modal warns, and when the flow ends (signed in or not) a notification offers to remove
 * the loopback URI again, which removes only that URI from the client's current list.
 */
import * as assert from 'node:assert/strict';
import type { Services } from '../../src/services';
import type { ClientNode, OrgNode, TreeNode } from '../../src/clients/treeNodes';
import type { CodeFlowResult } from '../../src/flows/commands/runAuthorizationCodeFlow';
import type { OAuth2Client } from '../../src/slashid/schemas';
import { connectionId, type OrgConnection } from '../../src/orgs/connections';
import { children, connectDemoOfTestEmulator, script, services, until } from './services';
import { PlayingBrowser, runCommand, signInWithHint } from './playingBrowser';

const MOBILE_APP = 'b1d4f7a0-2e8c-4b69-9f35-c6a0e3d7b852';
const CUSTOM = 'com.example.mobile:/oauth/callback';
const LOOPBACK = 'http://127.0.0.1/callback';

describe('Redirect URIs: custom schemes and the loopback registration (issue 19)', function () {
  this.timeout(60_000);
  let s: Services;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>>;
  let production: OrgConnection | undefined;

  /** The client as the emulator holds it now (not as the tree remembers it). */
  async function emulatorClient(clientId: string): Promise<OAuth2Client> {
    const response = await fetch(`${demo.emulator.url}/oauth2/clients/${clientId}`, {
      headers: { 'SlashID-OrgID': demo.emulator.demo.orgId, 'SlashID-API-Key': demo.emulator.demo.apiKey },
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { result: OAuth2Client }).result;
  }

  async function setRedirectUris(clientId: string, uris: string[]): Promise<void> {
    const response = await fetch(`${demo.emulator.url}/oauth2/clients/${clientId}`, {
      method: 'PATCH',
      headers: {
        'SlashID-OrgID': demo.emulator.demo.orgId,
        'SlashID-API-Key': demo.emulator.demo.apiKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ redirect_uris: uris }),
    });
    assert.equal(response.status, 200, await response.text());
  }

  async function clientNode(connection: OrgConnection, clientId: string): Promise<ClientNode> {
    s.model.invalidate();
    const org = (await children(s)).find((n): n is OrgNode => n.kind === 'org' && n.target.connection.id === connection.id);
    assert.ok(org, `${connection.name} is not in the tree`);
    const node = (await children(s, org as TreeNode)).find((n): n is ClientNode => n.kind === 'client' && n.client.client_id === clientId);
    assert.ok(node, `client ${clientId} is not in the tree`);
    return node;
  }

  function useBrowser(play: (b: () => PlayingBrowser) => (url: string) => Promise<void>): PlayingBrowser {
    const browser: PlayingBrowser = new PlayingBrowser(play(() => browser));
    s.browser = browser;
    return browser;
  }

  before(async () => {
    s = await services();
    demo = await connectDemoOfTestEmulator(s);
  });

  after(async () => {
    if (production) {
      await s.vault.forgetConnection(production.id);
      await s.connections.remove(production.id);
    }
    await demo?.disconnect();
  });

  it('the demo Mobile App, as seeded: the modal adds the loopback URI, the code flow signs in, the custom-scheme URI stays', async () => {
    assert.deepEqual((await emulatorClient(MOBILE_APP)).redirect_uris, [CUSTOM], 'the demo Mobile App is not as seeded');

    // A failed update names the client as the user knows it.
    demo.emulator.faults.set('PATCH /oauth2/clients/:id', { status: 500, times: 1 });
    let ui = script(s, [{ confirm: true }]);
    try {
      assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(demo.connection, MOBILE_APP)), undefined);
    } finally {
      demo.emulator.faults.clear();
    }
    const failure = ui.texts('error').join(' | ');
    assert.match(failure, /"Mobile App"/);
    assert.ok(!failure.includes(MOBILE_APP), `the error names the client by its ID: ${failure}`);
    assert.deepEqual((await emulatorClient(MOBILE_APP)).redirect_uris, [CUSTOM]);

    const browser = useBrowser(signInWithHint);
    ui = script(s, [{ confirm: true }, { pickMany: ['openid', 'profile'] }, { input: 'email_address:alice@example.com' }]);
    const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(demo.connection, MOBILE_APP));
    await browser.done;
    assert.deepEqual(browser.errors, []);
    ui.assertDone();
    assert.ok(result, ui.texts().join(' | '));
    assert.deepEqual(
      result.views.map((v) => [v.title, v.verdict.status]),
      [
        ['Access token', 'valid'],
        ['ID token', 'valid'],
      ],
    );
    // The custom-scheme URI is kept beside the loopback one, and the emulator's demo (not production) gets no warning.
    assert.deepEqual((await emulatorClient(MOBILE_APP)).redirect_uris, [CUSTOM, LOOPBACK]);
    assert.doesNotMatch(ui.messages[0].text, /production/);
    // The offer to remove it again came when the flow ended; unanswered, the URI stays.
    await until(() => ui.messages.some((m) => m.actions.includes('Remove Redirect URI')));
    const offer = ui.messages.find((m) => m.actions.includes('Remove Redirect URI'));
    assert.deepEqual(offer?.actions, ['Remove Redirect URI', 'Keep']);
    assert.match(offer?.text ?? '', /"Mobile App"/);
    assert.deepEqual((await emulatorClient(MOBILE_APP)).redirect_uris, [CUSTOM, LOOPBACK]);
  });

  it('Edit Client on the Mobile App saves custom-scheme redirect URIs, and a failure names it "Mobile App"', async () => {
    const uris = [CUSTOM, 'com.example.mobile:/oauth/other', LOOPBACK];
    let ui = script(s, [{ pick: 'Redirect URIs' }, { input: uris.join(' ') }]);
    const updated = await runCommand<OAuth2Client>(s, 'slashid.clients.edit', await clientNode(demo.connection, MOBILE_APP));
    assert.deepEqual(ui.refusals, []);
    ui.assertDone();
    assert.deepEqual(updated?.redirect_uris, uris);
    assert.deepEqual((await emulatorClient(MOBILE_APP)).redirect_uris, uris);
    // The input box still refuses what may never be a redirect.
    ui = script(s, [{ pick: 'Redirect URIs' }, { input: `${CUSTOM} javascript:alert(1)` }, { input: `${CUSTOM} ${LOOPBACK}` }]);
    demo.emulator.faults.set('PATCH /oauth2/clients/:id', { status: 500, times: 1 });
    try {
      assert.equal(await runCommand(s, 'slashid.clients.edit', await clientNode(demo.connection, MOBILE_APP)), undefined);
    } finally {
      demo.emulator.faults.clear();
    }
    assert.equal(ui.refusals.length, 1, ui.refusals.join(' | '));
    assert.match(ui.refusals[0], /javascript:/);
    const failure = ui.texts('error').join(' | ');
    assert.match(failure, /Updating client "Mobile App" failed/);
    assert.ok(!failure.includes(MOBILE_APP), `the error names the client by its ID: ${failure}`);
  });

  it('a public client of a production organization: the modal warns, and the offer after the flow removes only our URI', async () => {
    // The demo org, connected as a production organization (its base URL is the emulator's).
    const baseUrl = demo.emulator.url;
    production = {
      id: connectionId(demo.emulator.demo.orgId, 'production', baseUrl),
      orgId: demo.emulator.demo.orgId,
      name: 'Acme production',
      environment: 'production',
      baseUrl,
      addedAt: new Date().toISOString(),
    };
    await s.connections.add(production);
    await s.vault.storeApiKey(production.id, demo.emulator.demo.apiKey);
    const api = await s.orgApis.forTarget({ connection: production, orgId: production.orgId });
    const prodUris = ['com.example.prod:/callback', 'https://prod.example.com/callback'];
    const client = await api.createClient({
      client_name: 'Production Mobile',
      grant_types: ['authorization_code'],
      scopes: ['openid'],
      public: true,
      redirect_uris: prodUris,
    });

    // Signed in: while the flow runs, someone else adds a URI; the removal re-reads and keeps it.
    const other = 'https://other.example.com/callback';
    const browser = useBrowser((b) => async (url) => {
      await setRedirectUris(client.client_id, [...((await emulatorClient(client.client_id)).redirect_uris ?? []), other]);
      await signInWithHint(b)(url);
    });
    let ui = script(s, [{ confirm: true }, { pickMany: ['openid'] }, { input: 'email_address:alice@example.com' }]).onMessage(
      /still registered/,
      'Remove Redirect URI',
    );
    const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(production, client.client_id));
    await browser.done;
    assert.deepEqual(browser.errors, []);
    assert.ok(result, ui.texts().join(' | '));
    const [confirmation] = ui.messages;
    assert.match(confirmation.text, /public client of a production organization/);
    assert.match(confirmation.text, /any program on a person's computer can run its sign-in/);
    await until(async () => !(await emulatorClient(client.client_id)).redirect_uris?.includes(LOOPBACK));
    assert.deepEqual((await emulatorClient(client.client_id)).redirect_uris, [...prodUris, other]);
    const offer = ui.messages.find((m) => m.actions.includes('Remove Redirect URI'));
    assert.equal(offer?.severity, 'warn');
    assert.match(offer?.text ?? '', /"Production Mobile", a public client of a production organization/);
    await until(() =>
      ui.texts('info').some((t) => /Removed the redirect URI http:\/\/127\.0\.0\.1\/callback from "Production Mobile"/.test(t)),
    );
    assert.ok((await clientNode(production, client.client_id)).client.redirect_uris?.every((u) => u !== LOOPBACK));

    // Not signed in (the scopes were not chosen): the offer comes all the same, and removes only our URI.
    const patches = () => demo.emulator.requests.filter((r) => r.method === 'PATCH' && r.path.endsWith(client.client_id)).length;
    const patchesBefore = patches();
    ui = script(s, [{ confirm: true }, { cancel: true }]).onMessage(/still registered/, 'Remove Redirect URI');
    assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(production, client.client_id)), undefined);
    assert.match(ui.messages[0].text, /public client of a production organization/);
    await until(() => ui.texts('info').some((t) => /Removed the redirect URI/.test(t)));
    assert.equal(patches() - patchesBefore, 2, 'the URI was not added, then removed');
    assert.deepEqual((await emulatorClient(client.client_id)).redirect_uris, [...prodUris, other]);
  });
});
