/**
 * Another installed extension (no test hooks, see otherExtension.test.ts) and the documents of our two schemes:
 * `slashid-hosted-ui:` (a client's hosted-UI configuration, read and written with the user's API key) and
 * `slashid-readonly:` (API results kept in memory). A URI is not a permission: this extension builds URIs from public
 * IDs, and reads the URIs of open documents from `workspace.textDocuments`, as any extension can. Through
 * `workspace.fs`, `openTextDocument`, a `WorkspaceEdit` and `TextDocument.save()` it must reach nothing: the emulator
 * must receive no read and no write of a client or its configuration.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, DEMO_CLIENTS, type Emulator } from '../../../emulator/index';
import { getExtension } from '../extension';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What each way in did: `ok` when it gave something back (an error otherwise, as expected). */
async function outcome(what: string, attempt: () => Thenable<unknown>): Promise<string> {
  try {
    await attempt();
    return `${what}: ok`;
  } catch {
    return `${what}: refused`;
  }
}

describe('another extension and the document schemes, without the test hooks', function () {
  this.timeout(120_000);
  let emulator: Emulator & { demo: NonNullable<Emulator['demo']> };
  const settings = () => vscode.workspace.getConfiguration('slashid');
  /** The requests for a client or its configuration the emulator answered since `since` (the tree's list is not one). */
  const clientRequests = (since: number) =>
    emulator.requests.filter((r) => r.at >= since && r.path.startsWith('/oauth2/clients/')).map((r) => `${r.method} ${r.path}`);

  before(async () => {
    emulator = (await startEmulator({ port: 0, demo: true })) as typeof emulator;
    process.env.SLASHID_EMULATOR_KEY = emulator.controlKey; // as `npm start` gives it to the extension host
    // Connected as a user does (see otherExtension.test.ts): the setting, then Start Local Emulator.
    await settings().update('localEmulator.url', emulator.url, vscode.ConfigurationTarget.Workspace);
    for (let i = 0; i < 50 && settings().get('localEmulator.url') !== emulator.url; i++) await sleep(100);
    await getExtension().activate();
    await vscode.commands.executeCommand('slashid.emulator.start');
    assert.ok(
      emulator.requests.some((r) => r.route === 'GET /oauth2/clients'),
      'Start Local Emulator did not connect the demo org',
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('localEmulator.url', undefined, vscode.ConfigurationTarget.Workspace);
    await emulator?.close();
  });

  it('reads, stats and writes forged and real-looking URIs of both schemes: each refused, no request reaches the API', async () => {
    const since = Date.now();
    const orgId = emulator.demo.orgId;
    const connectionId = `${orgId}@local-emulator`;
    const hostedUi = [
      // As Edit Hosted UI Configuration would name them, for every demo client: never opened.
      ...DEMO_CLIENTS.map((c) =>
        vscode.Uri.from({
          scheme: 'slashid-hosted-ui',
          path: `/${encodeURIComponent(connectionId)}/${c.org_id}/${c.client_id}/${c.client_name}.hosted-ui.json`,
        }),
      ),
      vscode.Uri.from({ scheme: 'slashid-hosted-ui', path: `/${encodeURIComponent(connectionId)}/${orgId}` }),
      vscode.Uri.parse('slashid-hosted-ui:/'),
      vscode.Uri.parse('slashid-hosted-ui:/nobody/nowhere/none/x.hosted-ui.json'),
    ];
    const files = hostedUi.filter((u) => u.path.endsWith('.hosted-ui.json'));
    const forged = new TextEncoder().encode(
      '{ "pageTitle": "Sign in to verify your account", "logoUrl": "https://evil.example/logo.png" }',
    );
    const done: string[] = [];
    for (const uri of hostedUi) {
      done.push(await outcome(`stat ${uri.path}`, () => vscode.workspace.fs.stat(uri)));
      done.push(await outcome(`readFile ${uri.path}`, () => vscode.workspace.fs.readFile(uri)));
      done.push(await outcome(`writeFile ${uri.path}`, () => vscode.workspace.fs.writeFile(uri, forged)));
      done.push(await outcome(`delete ${uri.path}`, () => vscode.workspace.fs.delete(uri)));
      // (Creating the root folder is VS Code's no-op: it never reaches the provider.)
      if (uri.path !== '/') done.push(await outcome(`createDirectory ${uri.path}`, () => vscode.workspace.fs.createDirectory(uri)));
    }
    for (const uri of files) {
      done.push(await outcome(`openTextDocument ${uri.path}`, () => vscode.workspace.openTextDocument(uri)));
      done.push(await outcome(`rename ${uri.path}`, () => vscode.workspace.fs.rename(uri, uri.with({ path: `${uri.path}.x` }))));
    }
    assert.deepEqual(
      done.filter((d) => d.endsWith(': ok')),
      [],
      'a hosted-UI URI the extension did not hand out answered',
    );

    // Read-only documents hold what a command put there, in memory; a forged one reads as empty of data.
    const readOnly = DEMO_CLIENTS.flatMap((c) => [
      vscode.Uri.from({ scheme: 'slashid-readonly', path: `/${c.client_name} (${c.client_id}).json` }),
      vscode.Uri.from({ scheme: 'slashid-readonly', path: `/${c.client_name} token.json` }),
    ]);
    for (const uri of readOnly) {
      const text = (await vscode.workspace.openTextDocument(uri)).getText();
      assert.ok(!text.includes('client_id') && !text.includes('access_token'), `${uri.path} showed data: ${text}`);
      done.push(await outcome(`fs.readFile ${uri.path}`, () => vscode.workspace.fs.readFile(uri)));
      done.push(await outcome(`fs.writeFile ${uri.path}`, () => vscode.workspace.fs.writeFile(uri, forged)));
    }
    assert.deepEqual(
      done.filter((d) => d.endsWith(': ok')),
      [],
      'a read-only URI answered through workspace.fs',
    );
    assert.deepEqual(clientRequests(since), [], 'a forged URI reached the API');
  });

  it('an open hosted-UI document: written through workspace.fs, or changed and saved in the background, sends nothing', async () => {
    // The user opens one (the test answers the quick picks as the user would: the first organization and client).
    void vscode.commands.executeCommand('slashid.clients.editHostedUi');
    let document: vscode.TextDocument | undefined;
    for (let i = 0; i < 40 && !document; i++) {
      await sleep(300);
      document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'slashid-hosted-ui');
      if (!document) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    assert.ok(document, 'Edit Hosted UI Configuration opened no document');
    await sleep(500);
    const since = Date.now();
    const original = document.getText();

    // Its URI and text are open to every extension; what the extension read for it is all a read gives back.
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri)), original);
    const forged = '{ "pageTitle": "Sign in to verify your account", "logoUrl": "https://evil.example/logo.png" }';
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode(forged))));

    // Changed and saved while the user works in another editor.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'the user works here' }));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), forged);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await document.save(), false, 'TextDocument.save() of the hosted-UI document succeeded');
    assert.equal(await vscode.workspace.save(document.uri), undefined, 'workspace.save() of the hosted-UI document succeeded');
    await sleep(500);
    assert.deepEqual(clientRequests(since), [], 'a write that was not the user saving reached the API');

    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
