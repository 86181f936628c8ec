/**
 * "SlashID: Start Local Emulator" with `slashid.localEmulator.url` pointing at an emulator this suite started:
 * the extension connects the demo org through its real connect path, and the real tree shows it and its clients.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, labelOf, type ExtensionTestApi } from './extension';
import { listClientsDirectly, startTestEmulator } from './emulator';
import { resetState, runCommand, services } from './services';

describe('Start Local Emulator (emulator named in settings)', () => {
  let api: ExtensionTestApi;
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  const settings = () => vscode.workspace.getConfiguration('slashid');

  before(async () => {
    api = await activateExtension();
    await resetState(await services()); // other suites share this extension host
    emulator = await startTestEmulator();
  });

  after(async () => {
    await settings().update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
    await resetState(await services());
    await emulator?.close();
  });

  it('shows no org before one is connected (the welcome view is shown instead)', async () => {
    assert.deepEqual(await api.tree.getChildren(), []);
  });

  it('connects the demo org of the configured emulator and shows it in the tree', async () => {
    await settings().update('localEmulator.url', emulator.url, vscode.ConfigurationTarget.Workspace);
    await runCommand('slashid.emulator.start');

    const labels = await Promise.all(((await api.tree.getChildren()) ?? []).map((node) => labelOf(api.tree, node)));
    assert.deepEqual(labels, ['Local emulator (demo)']);
    // It used the emulator we started (not one of its own): the key was checked there.
    assert.ok(
      emulator.requests.some((r) => r.method === 'GET' && r.path === '/oauth2/clients' && r.status === 200),
      `no GET /oauth2/clients reached ${emulator.url}`,
    );
  });

  it("lists the demo org's clients under it, as the API returns them", async () => {
    const [org] = (await api.tree.getChildren()) ?? [];
    assert.ok(org, 'no org in the tree');
    const childLabels = await Promise.all(((await api.tree.getChildren(org)) ?? []).map((node) => labelOf(api.tree, node)));
    const expected = (await listClientsDirectly(emulator)).map((c) => c.client_name);
    assert.ok(expected.length > 0, 'the demo org has no clients');
    assert.deepEqual(
      expected.filter((name) => !childLabels.includes(name)),
      [],
      `tree children: ${JSON.stringify(childLabels)}`,
    );
  });

  it('keeps the API key out of settings (only the URL is there)', () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the runner opens a workspace folder');
    const settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    const text = fs.readFileSync(settingsFile, 'utf8');
    assert.ok(text.includes(emulator.url));
    assert.ok(!text.includes(emulator.demo.apiKey), 'the demo API key is in .vscode/settings.json');
  });
});

describe('Start Local Emulator (in this extension host)', () => {
  const CUSTOMER_WEB_APP = '6f2b8d40-9c1e-4a57-b3d8-2e7f0c5a9d61';

  before(async () => {
    await activateExtension();
    await resetState(await services());
    await vscode.workspace.getConfiguration('slashid').update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await runCommand('slashid.emulator.stop');
    await resetState(await services());
  });

  it("serves its sign-in page at the address the workbench forwards it at for the browser (code-server's port proxy)", async () => {
    await runCommand('slashid.emulator.start');
    const url = (await services()).emulator.currentUrl();
    assert.ok(url, 'no emulator running after Start Local Emulator');
    const own = new URL(url);
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    if (vscode.env.uiKind === vscode.UIKind.Web) {
      assert.notEqual(external.authority, own.host, 'code-server forwards loopback ports through its proxy');
    }
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CUSTOMER_WEB_APP,
      redirect_uri: 'https://app.example.com/callback',
      scope: 'openid',
      state: 'forwarded-state',
    });
    const page = await fetch(new URL(`oauth2/authorize?${query.toString()}`, external.toString(true).replace(/\/?$/, '/')), {
      redirect: 'manual',
    });
    const text = await page.text();
    assert.equal(page.status, 200, text.slice(0, 300));
    assert.match(text, /Sign in to Customer Web App/);
    if (external.authority !== own.host) {
      // Only the sign-in page: the API stays on the emulator's own address.
      const jwks = await fetch(new URL('.well-known/jwks.json', external.toString(true).replace(/\/?$/, '/')));
      assert.equal(jwks.status, 421);
    }
  });

  it('serves none of the test-only routes to other local processes: its admin key, faults and request log answer 404 (issue 19 L9)', async () => {
    await runCommand('slashid.emulator.start');
    const url = (await services()).emulator.currentUrl();
    assert.ok(url, 'no emulator running after Start Local Emulator');
    const calls: [string, string, string | undefined][] = [
      ['GET', '/__emulator/demo', undefined],
      ['GET', '/__emulator/requests', undefined],
      ['PUT', '/__emulator/faults', JSON.stringify({ route: '*', status: 503 })],
      ['DELETE', '/__emulator/faults', undefined],
      ['POST', '/__emulator/sso-logins', '{}'],
    ];
    for (const [method, path, body] of calls) {
      const answer = await fetch(`${url}${path}`, {
        method,
        headers: {
          'SlashID-Emulator-Key': process.env.SLASHID_EMULATOR_KEY ?? 'a-guessed-key-0000000',
          'Content-Type': 'application/json',
        },
        ...(body ? { body } : {}),
      });
      const text = await answer.text();
      assert.equal(answer.status, 404, `${method} ${path}: ${text.slice(0, 200)}`);
      assert.ok(!text.includes('api_key'), `${method} ${path} answered the demo org's key`);
    }
    const discovery = await fetch(`${url}/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200, 'the API itself still answers (no fault was set)');
  });
});
