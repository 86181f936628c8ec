/**
 * Another installed extension calling our chat tools with `vscode.lm.invokeTool` outside any chat request (no
 * `toolInvocationToken`), as every extension may. In this host without test hooks, on the demo org connected the
 * way `npm start` does: every tool that would read or change the organization with the user's key refuses
 * before anything is sent, so no person, client ID, redirect URI, secret or token comes back and the emulator's
 * request log shows no read of persons or clients and no write. (VS Code's modal confirmation would not stop
 * such a caller here: the dialog service of an extension host started for tests confirms by itself.)
 * The file sorts after lazyActivation.test.ts, which must run before anything loads the features.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, DEMO_CLIENTS, DEMO_PERSONS, type Emulator } from '../../../emulator/index';
import { getExtension, manifest } from '../extension';

/** The canary API key of test/integration/canary.test.ts, as the key of the demo org this suite connects. */
const CANARY_KEY = 'canary-apikey-5b9e2d7c4a1f3068';

/** What the call gave back: the result's text, or the rejection's message. */
async function callOutsideChat(name: string, input: object): Promise<{ text: string; rejected: boolean }> {
  try {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
    return {
      text: result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : JSON.stringify(part))).join('\n'),
      rejected: false,
    };
  } catch (err) {
    return { text: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err), rejected: true };
  }
}

describe('another extension calling the chat tools outside a chat request', function () {
  this.timeout(120_000);
  let emulator: Emulator & { demo: NonNullable<Emulator['demo']> };
  const settings = () => vscode.workspace.getConfiguration('slashid');

  before(async () => {
    emulator = (await startEmulator({ port: 0, demo: true, demoApiKey: CANARY_KEY })) as typeof emulator;
    process.env.SLASHID_EMULATOR_KEY = emulator.controlKey; // as `npm start` gives it to the extension host
    await settings().update('localEmulator.url', emulator.url, vscode.ConfigurationTarget.Workspace);
    for (let i = 0; i < 50 && settings().get('localEmulator.url') !== emulator.url; i++) await new Promise((r) => setTimeout(r, 100));
    await getExtension().activate();
    await vscode.commands.executeCommand('slashid.emulator.start');
    assert.ok(
      emulator.requests.some((r) => r.route === 'GET /oauth2/clients'),
      `Start Local Emulator did not connect the demo org (the emulator saw: ${emulator.requests.map((r) => r.route).join(', ') || 'nothing'})`,
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('slashid.emulator.stop');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
    await emulator?.close();
  });

  it('gets no person, client, secret or token from any slashid_* tool, and the API gets no read of persons or clients', async () => {
    const org = emulator.demo.orgId;
    const [clientId] = emulator.demo.clientIds;
    const [personId] = emulator.demo.personIds;
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"outside"}').toString('base64url')}.`;
    const inputs: Record<string, object> = {
      slashid_listOrganizations: {},
      slashid_listClients: { org },
      slashid_showClient: { org, clientId },
      slashid_decodeToken: { token: unsigned },
      slashid_searchPersons: { org, search: 'carol' },
      slashid_createClient: {
        org,
        name: 'made by another extension',
        grantTypes: ['authorization_code'],
        redirectUris: ['https://x.example/cb'],
      },
      slashid_rotateClientSecret: { org, clientId },
      slashid_deleteClient: { org, clientId },
      slashid_mintTokens: { org, clientId, personId, customClaims: { from: 'outside' } },
    };
    const contributed = (manifest() as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
    const tools = contributed.map((t) => t.name);
    assert.deepEqual([...tools].sort(), Object.keys(inputs).sort(), 'a contributed tool has no input in this test');

    const before = emulator.requests.length;
    const replies: Record<string, string> = {};
    for (const name of tools) {
      const { text, rejected } = await callOutsideChat(name, inputs[name]);
      assert.equal(rejected, false, `${name} threw: ${text}`);
      replies[name] = text;
    }

    // The local tools answer (they send nothing with the key); every other one refuses, saying to use the chat.
    assert.equal((JSON.parse(replies.slashid_listOrganizations) as { ok: boolean }).ok, true, replies.slashid_listOrganizations);
    assert.equal((JSON.parse(replies.slashid_decodeToken) as { ok: boolean }).ok, true, replies.slashid_decodeToken);
    for (const name of tools.filter((t) => t !== 'slashid_listOrganizations' && t !== 'slashid_decodeToken')) {
      const reply = JSON.parse(replies[name]) as { ok: boolean; error?: string };
      assert.equal(reply.ok, false, `${name} answered another extension: ${replies[name]}`);
      assert.match(reply.error ?? '', /answers only a request made in VS Code's chat.*nothing was sent/, name);
    }

    // Nothing personal or secret in any reply: no handle, no client ID or redirect URI, no key, no token.
    const text = Object.values(replies).join('\n');
    const handles = DEMO_PERSONS.flatMap((p) => (p.handles ?? []).map((h) => h.value));
    const clientData = DEMO_CLIENTS.flatMap((c) => [c.client_id, ...(c.redirect_uris ?? [])]);
    const found = [...handles, ...clientData, CANARY_KEY].filter((value) => text.includes(value));
    assert.deepEqual(found, [], 'another extension got organization data');
    assert.doesNotMatch(text, /eyJ[\w-]+\.[\w-]+\.|sid_(at|rt)_/, 'another extension got a token');

    // And the API received no read of persons or clients, and no write.
    const sent = emulator.requests.slice(before).map((r) => r.route);
    assert.deepEqual(
      sent.filter((route) => /persons|clients|mint|tokens/.test(route) || !route.startsWith('GET ')),
      [],
      `a call from outside a chat reached the API: ${sent.join(', ')}`,
    );
  });
});
