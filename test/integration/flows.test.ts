/**
 * The OAuth2 flows from the editor, in a real extension host against the emulator: the authorization-code
 * flow (the test plays the browser: it fetches the URL the command opened, follows the emulator's
 * login_hint redirect or its sign-in page to the loopback listener), its failures, and the token panel's
 * actions on the tokens it got.
 */
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as diagnostics from 'node:diagnostics_channel';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { ClientNode, TreeNode } from '../../src/clients/treeNodes';
import type { CodeFlowResult } from '../../src/flows/commands/runAuthorizationCodeFlow';
import type { Reply } from '../../src/tokenPanels/protocol';
import type { MintController } from '../../src/minter/mintController';
import type { TokenViewerController } from '../../src/tokenPanels/tokenViewerPanel';
import { captureLog, children, connectDemoOfTestEmulator, hoverText, script, services, until } from './services';
import { PASTE_ACTION } from '../../src/flows/pendingAuthorization';
import { PlayingBrowser, asText, get, runCommand, signInWithHint, signInWithoutReturning, type Play } from './playingBrowser';

const CUSTOMER_WEB_APP = '6f2b8d40-9c1e-4a57-b3d8-2e7f0c5a9d61';
const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24';
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';

describe('OAuth2 flows', function () {
  this.timeout(60_000);
  let s: Services;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>>;
  let org: TreeNode;
  /** Every request body and header the extension sends (undici's diagnostics channel), to check what goes out. */
  const sent: { path: string; headers: string; body: string }[] = [];
  const onRequest = (message: unknown) => {
    const request = (message as { request?: { path?: unknown; headers?: unknown; body?: unknown } }).request;
    if (!request) return;
    sent.push({ path: asText(request.path), headers: asText(request.headers), body: asText(request.body) });
  };

  async function clientNode(clientId: string): Promise<ClientNode> {
    const node = (await children(s, org)).find((n): n is ClientNode => n.kind === 'client' && n.client.client_id === clientId);
    assert.ok(node, `client ${clientId} is not in the tree`);
    return node;
  }

  function useBrowser(play?: (b: () => PlayingBrowser) => Play): PlayingBrowser {
    const browser: PlayingBrowser = new PlayingBrowser(play ? play(() => browser) : undefined);
    s.browser = browser;
    return browser;
  }

  async function timeoutSetting(seconds: number | undefined): Promise<void> {
    await vscode.workspace
      .getConfiguration('slashid')
      .update('authorizationCodeFlow.timeout', seconds, vscode.ConfigurationTarget.Workspace);
  }

  /** The loopback listener named by the authorization URL's redirect_uri is closed: nothing answers there. */
  async function assertListenerClosed(authorizationUrl: string): Promise<void> {
    const redirect = new URL(authorizationUrl).searchParams.get('redirect_uri');
    assert.ok(redirect);
    assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\//);
    await assert.rejects(fetch(redirect, { signal: AbortSignal.timeout(2_000) }), 'the loopback listener still answers');
  }

  let viewer: TokenViewerController | undefined;
  let requestId = 1;
  async function act(tokenId: string, action: string): Promise<Reply> {
    assert.ok(viewer);
    const answer = await viewer.dispatch({ type: 'tokenAction', requestId: requestId++, tokenId, action });
    assert.ok(answer?.type === 'reply');
    return answer.reply;
  }

  /** A public client with a loopback redirect URI (the demo's Mobile App has only a custom-scheme one). */
  let publicClient: string;

  before(async () => {
    s = await services();
    demo = await connectDemoOfTestEmulator(s);
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    publicClient = (
      await api.createClient({
        client_name: 'Loopback SPA',
        grant_types: ['authorization_code'],
        scopes: ['openid', 'profile'],
        public: true,
        redirect_uris: ['http://127.0.0.1/callback'],
      })
    ).client_id;
    s.model.invalidate();
    [org] = await children(s);
    diagnostics.subscribe('undici:request:create', onRequest);
  });

  after(async () => {
    diagnostics.unsubscribe('undici:request:create', onRequest);
    await timeoutSetting(undefined);
    await demo?.disconnect();
  });

  it('a confidential client: adds the loopback redirect URI, signs in, exchanges with its secret, validates the ID token', async () => {
    script(s, [{ confirm: true }]);
    assert.equal(await runCommand(s, 'slashid.clients.rotateSecret', await clientNode(CUSTOMER_WEB_APP)), 'rotated');
    const secret = await s.vault.getClientSecret(demo.connection.id, CUSTOMER_WEB_APP);
    assert.ok(secret);
    const browser = useBrowser(signInWithHint);
    const ui = script(s, [
      { confirm: true },
      { pickMany: ['openid', 'offline_access', 'email'] },
      { input: 'email_address:alice@example.com' },
    ]);
    sent.length = 0;
    const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(CUSTOMER_WEB_APP));
    await browser.done;
    assert.deepEqual(browser.errors, []);
    ui.assertDone();
    assert.ok(result, ui.texts().join(' | '));
    viewer = result.viewer;

    // The client got the loopback redirect URI (a PATCH), and the request used it on an ephemeral port.
    const updated = demo.emulator.requests.filter((r) => r.method === 'PATCH');
    assert.equal(updated.length, 1);
    assert.ok((await clientNode(CUSTOMER_WEB_APP)).client.redirect_uris?.includes('http://127.0.0.1/callback'));
    const url = new URL(browser.opened[0]);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.match(url.searchParams.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(url.searchParams.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(url.searchParams.get('nonce') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(url.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    // The browser got a page that says to go back, and never shows the code.
    const code = new URL(browser.redirects[0]).searchParams.get('code');
    assert.ok(code);
    assert.match(browser.pages[0], /^200 [\s\S]*return to VS Code/);
    assert.ok(!browser.pages[0].includes(code), 'the page shows the code');
    await assertListenerClosed(browser.opened[0]);

    // The exchange authenticated with HTTP Basic and sent the PKCE verifier.
    const exchange = sent.find((r) => r.path === '/oauth2/tokens' && r.body.includes('grant_type=authorization_code'));
    assert.ok(exchange, 'no code exchange was seen');
    assert.match(exchange.headers, /authorization/i);
    assert.match(exchange.body, /code_verifier=[A-Za-z0-9_-]{43}/);

    const [access, id, refresh] = result.views;
    assert.deepEqual(
      result.views.map((v) => v.title),
      ['Access token', 'ID token', 'Refresh token'],
    );
    assert.equal(access.verdict.status, 'valid', access.verdict.message);
    assert.equal(id.verdict.status, 'valid', id.verdict.message);
    assert.match(id.verdict.message, /nonce/);
    assert.ok(id.facts.some((f) => f.label === 'Nonce' && f.value.startsWith('checked')));
    assert.ok(id.facts.some((f) => f.label === 'at_hash' && f.value.startsWith('checked')));
    assert.equal(refresh.verdict.status, 'valid', refresh.verdict.message);
    assert.deepEqual(access.actions, ['revoke', 'userinfo', 'introspect']);
    assert.deepEqual(refresh.actions, ['refresh', 'revoke', 'introspect']);
    // Masked until revealed: no view carries a raw token.
    const viewsText = JSON.stringify(result.views);
    for (const v of result.views) {
      const revealed = await viewer.dispatch({ type: 'reveal', requestId: requestId++, tokenId: v.tokenId });
      assert.ok(revealed?.type === 'reply' && revealed.reply.kind === 'revealed');
      assert.ok(!viewsText.includes(revealed.reply.token), `${v.title} is shown unmasked`);
    }
  });

  it('token panel: userinfo, introspect, refresh (rotation), revoke (then inactive)', async () => {
    assert.ok(viewer, 'the code flow test did not run');
    const [access, , refresh] = viewer.views;
    const userinfo = await act(access.tokenId, 'userinfo');
    assert.equal(userinfo.kind, 'tokenActionDone', JSON.stringify(userinfo));
    assert.ok(userinfo.kind === 'tokenActionDone' && userinfo.json);
    const profile = JSON.parse(userinfo.json.text) as Record<string, unknown>;
    assert.equal(profile.sub, ALICE);
    assert.equal(profile.email, 'alice@example.com');
    assert.match(userinfo.json.text, /\n {2}"sub"/, 'userinfo is not formatted');

    const introspected = await act(refresh.tokenId, 'introspect');
    assert.ok(introspected.kind === 'tokenActionDone', JSON.stringify(introspected));
    assert.match(introspected.message, /is active/);

    const refreshed = await act(refresh.tokenId, 'refresh');
    assert.ok(refreshed.kind === 'tokenActionDone', JSON.stringify(refreshed));
    assert.deepEqual(
      refreshed.added.map((v) => v.title),
      ['Access token (refreshed)', 'ID token (refreshed)', 'Refresh token (refreshed)'],
    );
    assert.ok(
      refreshed.added.every((v) => v.verdict.status === 'valid'),
      JSON.stringify(refreshed.added.map((v) => v.verdict)),
    );
    assert.equal(refreshed.replaced[0]?.tokenId, refresh.tokenId);
    assert.equal(refreshed.replaced[0]?.verdict.status, 'inactive');
    assert.equal(viewer.views.length, 6, 'the new tokens are not beside the old ones');
    // The retired refresh token offers nothing more.
    assert.equal((await act(refresh.tokenId, 'refresh')).kind, 'failed');

    const newAccess = refreshed.added[0];
    const revoked = await act(newAccess.tokenId, 'revoke');
    assert.ok(revoked.kind === 'tokenActionDone', JSON.stringify(revoked));
    assert.match(revoked.message, /inactive/);
    assert.equal(revoked.replaced[0]?.verdict.status, 'inactive');
    assert.match(revoked.replaced[0]?.introspection ?? '', /"active": false/);
  });

  it('Revoke All Tokens of a Person: the person search, a modal confirmation, then the tokens are inactive', async () => {
    assert.ok(viewer, 'the code flow test did not run');
    const refreshed = viewer.views.find((v) => v.title === 'Refresh token (refreshed)');
    assert.ok(refreshed);
    const before = await act(refreshed.tokenId, 'introspect');
    assert.ok(before.kind === 'tokenActionDone' && /is active/.test(before.message), JSON.stringify(before));
    // Declining the confirmation revokes nothing.
    let ui = script(s, [{ input: 'alice@example.com' }, { pick: 'alice@example.com' }, { input: '' }, { confirm: false }]);
    assert.equal(await runCommand(s, 'slashid.flows.revokeAllOfPerson', await clientNode(CUSTOMER_WEB_APP)), undefined);
    ui.assertDone();
    const still = await act(refreshed.tokenId, 'introspect');
    assert.ok(still.kind === 'tokenActionDone' && /is active/.test(still.message));
    // A date before the tokens were issued revokes none of them.
    script(s, [{ input: 'alice@example.com' }, { pick: 'alice@example.com' }, { input: '2020-01-01T00:00:00Z' }, { confirm: true }]);
    const early = await runCommand<{ personId: string; until?: string }>(
      s,
      'slashid.flows.revokeAllOfPerson',
      await clientNode(CUSTOMER_WEB_APP),
    );
    assert.deepEqual(early, { personId: ALICE, until: '2020-01-01T00:00:00.000Z' });
    const notYet = await act(refreshed.tokenId, 'introspect');
    assert.ok(notYet.kind === 'tokenActionDone' && /is active/.test(notYet.message));
    // Up to now: every token of Alice that the client holds.
    ui = script(s, [{ input: 'alice@example.com' }, { pick: 'alice@example.com' }, { input: '' }, { confirm: true }]);
    const result = await runCommand<{ personId: string }>(s, 'slashid.flows.revokeAllOfPerson', await clientNode(CUSTOMER_WEB_APP));
    assert.deepEqual(result, { personId: ALICE });
    assert.match(ui.texts('info').join(' | '), /Revoked every token "Customer Web App" held for alice@example\.com/);
    const after = await act(refreshed.tokenId, 'introspect');
    assert.ok(after.kind === 'tokenActionDone', JSON.stringify(after));
    assert.match(after.message, /not active/);
    // A search that finds no one is a sentence.
    ui = script(s, [{ input: 'nobody@example.com' }]);
    await runCommand(s, 'slashid.flows.revokeAllOfPerson', await clientNode(CUSTOMER_WEB_APP));
    assert.match(ui.texts('error').join(' | '), /No person of .* matches "nobody@example\.com"/);
  });

  it('Copy Access Token: a cached token while it has more than a minute left, and the status bar shows its lifetime', async () => {
    const BILLING = '3e9a7c15-4b2d-4f81-9c06-8d1e5a7b2f93';
    script(s, [{ confirm: true }]);
    await runCommand(s, 'slashid.clients.rotateSecret', await clientNode(BILLING));
    const tokenRequests = () => demo.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/oauth2/tokens').length;
    const start = tokenRequests();
    script(s, []);
    const first = await runCommand<{ fromCache: boolean; expiresAt: number; status: string }>(
      s,
      'slashid.clients.copyAccessToken',
      await clientNode(BILLING),
    );
    assert.ok(first);
    assert.equal(first.fromCache, false);
    const copied = await vscode.env.clipboard.readText();
    assert.match(copied, /^sid_at_/);
    assert.ok(!JSON.stringify(first).includes(copied), 'the result carries the token');
    assert.match(first.status, /^\$\(key\) (1 h|59 min)/);
    assert.ok(Math.abs(first.expiresAt - (Date.now() + 3_600_000)) < 10_000);
    const second = await runCommand<{ fromCache: boolean }>(s, 'slashid.clients.copyAccessToken', await clientNode(BILLING));
    assert.equal(second?.fromCache, true);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.equal(tokenRequests() - start, 1, 'the cached token was not reused');

    // A token that lives a minute or less is never reused.
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    const shortLived = await api.createClient({
      client_name: 'Short-lived',
      grant_types: ['client_credentials'],
      scopes: [],
      access_token_duration: 60,
    });
    assert.ok(shortLived.client_secret);
    await s.vault.storeClientSecret(demo.connection.id, shortLived.client_id, shortLived.client_secret);
    s.model.invalidate();
    const a = await runCommand<{ fromCache: boolean }>(s, 'slashid.clients.copyAccessToken', await clientNode(shortLived.client_id));
    const b = await runCommand<{ fromCache: boolean }>(s, 'slashid.clients.copyAccessToken', await clientNode(shortLived.client_id));
    assert.deepEqual([a?.fromCache, b?.fromCache], [false, false]);
    assert.notEqual(await vscode.env.clipboard.readText(), copied);
    await vscode.env.clipboard.writeText('');
  });

  /**
   * The hosted-UI configuration requests (`method`: those only) the emulator answered since `since` (epoch ms), as
   * `METHOD client`. (After a save the tree reads the configuration again for its Hosted UI row.)
   */
  function uiConfigurationRequests(since: number, method?: 'GET' | 'PUT'): string[] {
    return demo.emulator.requests
      .filter((r) => r.at >= since && r.path.endsWith('/ui-configuration') && (!method || r.method === method))
      .map((r) => `${r.method} ${r.path.split('/')[3]}`);
  }

  /** Opens a client's hosted-UI document through the command, in the active editor; its text replaced by `text` as typed. */
  async function openHostedUi(clientId: string): Promise<{ document: vscode.TextDocument; editor: vscode.TextEditor }> {
    const opened = await runCommand<{ uri: string }>(s, 'slashid.clients.editHostedUi', await clientNode(clientId));
    assert.ok(opened);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && editor.document.uri.toString() === opened.uri, 'the configuration was not opened in the active editor');
    return { document: editor.document, editor };
  }

  async function type(editor: vscode.TextEditor, text: string): Promise<void> {
    const all = new vscode.Range(0, 0, editor.document.lineCount, 0);
    assert.ok(await editor.edit((b) => b.replace(all, text)));
  }

  /** Ctrl+S on the active editor, waited for until the document is saved or `settled` holds. */
  async function saveActive(document: vscode.TextDocument, settled: () => boolean): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.files.save');
    await until(() => !document.isDirty || settled());
  }

  it("Edit Hosted UI Configuration: a JSON document; the user's save PUTs it once and says so, unknown fields kept; the tree shows it", async () => {
    const hostedUiRow = async () =>
      (await children(s, await clientNode(PARTNER_PORTAL))).find((n) => n.kind === 'detail' && n.label === 'Hosted UI')?.getTreeItem()
        .description;
    assert.equal(await hostedUiRow(), 'not configured');
    const ui = script(s, []);
    const since = Date.now();
    const { document, editor } = await openHostedUi(PARTNER_PORTAL);
    assert.equal(document.languageId, 'slashid-hosted-ui-json');
    assert.deepEqual(JSON.parse(document.getText()), {});
    assert.match(document.uri.path, /\.hosted-ui\.json$/);
    assert.deepEqual(uiConfigurationRequests(since), [`GET ${PARTNER_PORTAL}`]);

    const configuration = { pageBackgroundColor: '#102030', handleTypes: ['email_address'], x_team_note: { keep: true } };
    await type(editor, JSON.stringify(configuration, null, 2));
    await saveActive(document, () => false);
    assert.deepEqual(uiConfigurationRequests(since, 'PUT'), [`PUT ${PARTNER_PORTAL}`]);
    assert.deepEqual(ui.texts(), ['Saved the hosted-UI configuration of "Partner Portal" to SlashID.']);
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    assert.deepEqual(await api.getUiConfiguration(PARTNER_PORTAL), configuration);
    assert.equal(await hostedUiRow(), 'configured (3 fields)');
    // Read back as the document shows it, from what was saved: no request.
    const before = Date.now();
    assert.deepEqual(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(document.uri))), configuration);
    assert.deepEqual(uiConfigurationRequests(before), []);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('with files.autoSave on, typing in a hosted-UI document sends nothing and leaves it dirty; only Ctrl+S sends it', async () => {
    const files = vscode.workspace.getConfiguration('files');
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Workspace);
    await files.update('autoSaveDelay', 100, vscode.ConfigurationTarget.Workspace);
    const ourLanguage = () => vscode.workspace.getConfiguration('', { languageId: 'slashid-hosted-ui-json' });
    try {
      const ui = script(s, []);
      const since = Date.now();
      const { document, editor } = await openHostedUi(CUSTOMER_WEB_APP);
      // Valid JSON, half of what the user means to write: an auto-save would PUT it.
      await type(editor, '{ "pageTitle": "Half" }');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(document.isDirty, true, 'an auto-save marked the document saved');
      // The user turned auto-save on for these documents too: still nothing is sent.
      await ourLanguage().update('files.autoSave', 'afterDelay', vscode.ConfigurationTarget.Workspace, true);
      await type(editor, '{ "pageTitle": "Half-typed" }');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      assert.equal(document.isDirty, true, 'an auto-save marked the document saved');
      assert.deepEqual(uiConfigurationRequests(since), [`GET ${CUSTOMER_WEB_APP}`], 'an auto-save sent the configuration');
      const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
      assert.deepEqual(await api.getUiConfiguration(CUSTOMER_WEB_APP), {});

      await type(editor, '{ "pageTitle": "Sign in to the web app" }');
      await saveActive(document, () => false);
      assert.deepEqual(uiConfigurationRequests(since, 'PUT'), [`PUT ${CUSTOMER_WEB_APP}`]);
      assert.deepEqual(ui.texts('info'), ['Saved the hosted-UI configuration of "Customer Web App" to SlashID.']);
      assert.deepEqual(await api.getUiConfiguration(CUSTOMER_WEB_APP), { pageTitle: 'Sign in to the web app' });
    } finally {
      await ourLanguage().update('files.autoSave', undefined, vscode.ConfigurationTarget.Workspace, true);
      await files.update('autoSave', undefined, vscode.ConfigurationTarget.Workspace);
      await files.update('autoSaveDelay', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('a save the checks or SlashID refuse says why in one sentence of ours, sends nothing, and keeps the edit', async () => {
    const since = Date.now();
    const { document, editor } = await openHostedUi(PARTNER_PORTAL);
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    const saved = await api.getUiConfiguration(PARTNER_PORTAL);
    for (const [text, why] of [
      [
        '{ "showBadge": "yes" }',
        /^The hosted-UI configuration of "Partner Portal" was not saved to SlashID because showBadge .*; correct it and save again\.$/,
      ],
      ['{ "pageTitle": ', /^The hosted-UI configuration of "Partner Portal" was not saved to SlashID because it is not valid JSON/],
      // Where, once (V8's message gives the position twice), as the editor's auto-closing brace leaves it.
      [
        '{ "pageTitle": "x" }\n}',
        /^The hosted-UI configuration of "Partner Portal" was not saved to SlashID because it is not valid JSON at line 2, column 1 \(unexpected non-whitespace character after JSON\); correct it and save again\.$/,
      ],
      ['[1, 2]', /^The hosted-UI configuration of "Partner Portal" was not saved to SlashID because it must be a JSON object/],
      // Sent, and refused by SlashID (400).
      [
        '{ "__proto__": { "pageTitle": "x" } }',
        /^The hosted-UI configuration of "Partner Portal" was not saved to SlashID because SlashID refused it \(HTTP 400: .*__proto__ is not allowed as a field name\); correct it and save again\.$/,
      ],
    ] as const) {
      const ui = script(s, []);
      await type(editor, text);
      if (text.includes('showBadge')) {
        // The JSON schema still checks these documents while editing, in their own language.
        await until(() => vscode.languages.getDiagnostics(document.uri).some((d) => /boolean/i.test(d.message)), 20_000);
      }
      await saveActive(document, () => ui.messages.length > 0);
      assert.deepEqual(
        ui.messages.map((m) => m.severity),
        ['error'],
        `${text}: ${ui.texts().join(' | ')}`,
      );
      const [message] = ui.texts();
      assert.match(message, why);
      assert.doesNotMatch(message, /Unable to write file|FileSystemError|NoPermissions/);
      assert.equal(message.match(/\.(\s|$)/g)?.length ?? 0, 1, `not one sentence: ${message}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(document.getText(), text, 'the edit was lost');
      // Dirty for the workbench (its tab) and for extensions.
      await until(() => document.isDirty);
      const tab = vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === document.uri.toString());
      assert.equal(tab?.isDirty, true, 'a refused save left the document marked saved');
    }
    assert.deepEqual(uiConfigurationRequests(since, 'PUT'), [`PUT ${PARTNER_PORTAL}`], 'a save the checks refused was sent');
    assert.deepEqual(await api.getUiConfiguration(PARTNER_PORTAL), saved);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("the hosted-UI scheme answers only documents it handed out, and writes only the user's own save", async () => {
    const since = Date.now();
    const forged = (clientId: string, name: string) =>
      vscode.Uri.from({
        scheme: 'slashid-hosted-ui',
        path: `/${encodeURIComponent(demo.connection.id)}/${demo.connection.orgId}/${clientId}/${name}.hosted-ui.json`,
      });
    // Built from public IDs, never opened: nothing is read or written, no request.
    const notOpened = forged(publicClient, 'Loopback SPA');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(notOpened)), (err: Error) =>
      /Edit Hosted UI Configuration/.test(err.message),
    );
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(notOpened)));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(notOpened, new TextEncoder().encode('{"pageTitle": "Forged"}'))));
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(notOpened)));
    assert.deepEqual(uiConfigurationRequests(since), [], 'a URI the extension did not hand out reached the API');
    // An open document: its URI is known to every extension, but a write that is not the user's save sends nothing.
    const { document } = await openHostedUi(PARTNER_PORTAL);
    const opened = Date.now();
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(document.uri, new TextEncoder().encode('{"pageTitle": "Forged"}'))),
      (err: Error) => /was not sent to SlashID: it is sent only when you save it yourself/.test(err.message),
    );
    // The document in the background, changed and saved by an extension: not the user's save either.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: 'another editor' }));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), '{ "pageTitle": "Forged" }');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(await document.save(), false);
    assert.deepEqual(uiConfigurationRequests(opened), [], 'a request was sent that the user did not ask for');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the hover over an opaque SlashID token offers introspection with a stored secret, which opens the token panel', async () => {
    const BILLING = '3e9a7c15-4b2d-4f81-9c06-8d1e5a7b2f93';
    const secret = await s.vault.getClientSecret(demo.connection.id, BILLING);
    assert.ok(secret, 'the Copy Access Token test stored no secret');
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    const token = (await api.getClientCredentialsToken(BILLING, secret)).access_token;
    const document = await vscode.workspace.openTextDocument({
      language: 'plaintext',
      content: `curl -H "Authorization: Bearer ${token}"`,
    });
    const character = 'curl -H "Authorization: Bearer '.length + 12;
    const hover = await hoverText(document, 0, character);
    assert.match(hover, /Introspect this token\]\(command:slashid\.tokens\.introspect\?/);
    assert.ok(!hover.includes(token.slice(7)), 'the hover link carries the token');
    // It asks which organization's server may see the token, and which client's secret introspects it.
    const ui = script(s, [{ pick: demo.connection.name }, { pick: 'Billing Service' }]);
    const result = await runCommand<{ active: boolean; clientId: string; viewer: TokenViewerController }>(
      s,
      'slashid.tokens.introspect',
      document.uri.toString(),
      0,
      character,
    );
    assert.ok(result);
    assert.equal(result.active, true);
    assert.equal(result.viewer.views[0]?.verdict.status, 'valid');
    assert.match(result.viewer.views[0]?.introspection ?? '', /"active": true/);
    ui.assertDone();
    // A JWT gets no such link.
    const minted = (await api.mintTokens({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [] })).access_token;
    const jwt = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `id=${minted}` });
    const jwtHover = await hoverText(jwt, 0, 8);
    assert.match(jwtHover, /JWT/);
    assert.doesNotMatch(jwtHover, /Introspect this token/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('minted tokens get the same actions: refresh a minted refresh token', async () => {
    script(s, []);
    const minter = await runCommand<MintController>(s, 'slashid.minter.open', await clientNode(CUSTOMER_WEB_APP));
    assert.ok(minter);
    const mintAnswer = await minter.dispatch({
      type: 'mint',
      requestId: requestId++,
      orgKey: `${demo.connection.id}#${demo.connection.orgId}`,
      clientId: CUSTOMER_WEB_APP,
      personId: ALICE,
      scopes: ['openid', 'offline_access'],
      claimsText: '',
    });
    assert.ok(mintAnswer?.type === 'reply' && mintAnswer.reply.kind === 'minted', JSON.stringify(mintAnswer));
    const minted = mintAnswer.reply.tokens;
    assert.deepEqual(
      minted.map((t) => t.actions ?? []),
      [['revoke', 'userinfo', 'introspect'], [], ['refresh', 'revoke', 'introspect']],
    );
    const answer = await minter.dispatch({ type: 'tokenAction', requestId: requestId++, tokenId: minted[2]?.tokenId, action: 'refresh' });
    assert.ok(answer?.type === 'reply' && answer.reply.kind === 'tokenActionDone', JSON.stringify(answer));
    assert.deepEqual(
      answer.reply.added.map((v) => [v.title, v.verdict.status]),
      [
        ['Access token (refreshed)', 'valid'],
        ['ID token (refreshed)', 'valid'],
        ['Refresh token (refreshed)', 'valid'],
      ],
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a public client: no secret and no Authorization header in the exchange', async () => {
    const browser = useBrowser(signInWithHint);
    const ui = script(s, [{ pickMany: ['openid', 'profile'] }, { input: ALICE }]);
    sent.length = 0;
    const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
    await browser.done;
    assert.deepEqual(browser.errors, []);
    assert.ok(result, ui.texts().join(' | '));
    const exchange = sent.find((r) => r.path === '/oauth2/tokens');
    assert.ok(exchange, 'no code exchange was seen');
    assert.doesNotMatch(exchange.headers, /authorization/i);
    assert.doesNotMatch(exchange.body, /client_secret/);
    assert.match(exchange.body, new RegExp(`client_id=${publicClient}`));
    assert.match(exchange.body, /code_verifier=/);
    assert.deepEqual(
      result.views.map((v) => [v.title, v.verdict.status]),
      [
        ['Access token', 'valid'],
        ['ID token', 'valid'],
      ],
    );
    assert.deepEqual(result.views[0].actions, ['revoke', 'userinfo'], 'a public client cannot introspect');
  });

  it('a remote window: the redirect URI names the port the editor forwards to the listener, and the sign-in comes back through it', async () => {
    // A port forward as Remote-SSH makes one for asExternalUri: another loopback port, piped to the listener's.
    const forwards: net.Server[] = [];
    const browser = useBrowser(signInWithHint);
    browser.forward = async (local) => {
      const target = new URL(local);
      const forward = net.createServer((socket) => {
        const upstream = net.connect(Number(target.port), '127.0.0.1');
        socket.pipe(upstream).pipe(socket);
        socket.on('error', () => upstream.destroy());
        upstream.on('error', () => socket.destroy());
      });
      forwards.push(forward);
      await new Promise<void>((resolve) => forward.listen(0, '127.0.0.1', resolve));
      return `http://localhost:${(forward.address() as net.AddressInfo).port}${target.pathname}`;
    };
    await timeoutSetting(15); // a browser that fails ends the wait soon
    try {
      const ui = script(s, [{ pickMany: ['openid', 'profile'] }, { input: ALICE }]);
      const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
      await browser.done;
      assert.deepEqual(browser.errors, []);
      assert.ok(result, ui.texts().join(' | '));
      const forwardedPort = (forwards[0].address() as net.AddressInfo).port;
      const sentRedirect = new URL(new URL(browser.opened[0]).searchParams.get('redirect_uri')!);
      assert.equal(sentRedirect.hostname, '127.0.0.1', 'the forward is named by its loopback IP literal (RFC 8252 §8.3)');
      assert.equal(Number(sentRedirect.port), forwardedPort);
      assert.equal(Number(new URL(browser.redirects[0]).port), forwardedPort, 'the browser did not come back through the forward');
      assert.match(browser.pages[0], /^200 .*Sign-in finished/s);
      assert.equal(result.views.find((v) => v.title === 'ID token')?.verdict.status, 'valid');
    } finally {
      for (const forward of forwards) forward.close();
      await timeoutSetting(undefined);
    }
  });

  it('with slashid.tokenPanel.autoRefresh on, an open panel refreshes the tokens before the access token expires; off, it does not', async () => {
    // A client whose access tokens live 4 s: the panel refreshes a quarter of that before they expire.
    const api = await s.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    const created = await api.createClient({
      client_name: 'Short-lived tokens',
      grant_types: ['authorization_code'],
      scopes: ['openid', 'offline_access'],
      public: false,
      redirect_uris: ['http://127.0.0.1/callback'],
      access_token_duration: 4,
    });
    await s.vault.storeClientSecret(demo.connection.id, created.client_id, created.client_secret!);
    s.model.invalidate();
    const settings = vscode.workspace.getConfiguration('slashid');
    const signIn = async () => {
      const browser = useBrowser(signInWithHint);
      const ui = script(s, [{ pickMany: ['openid', 'offline_access'] }, { input: ALICE }]);
      const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(created.client_id));
      await browser.done;
      assert.ok(result, ui.texts().join(' | '));
      return result.viewer;
    };
    const titles = (v: TokenViewerController) => v.views.map((view) => view.title);

    // Off (the default): the tokens expire untouched.
    const untouched = await signIn();
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    assert.deepEqual(titles(untouched), ['Access token', 'ID token', 'Refresh token']);

    await settings.update('tokenPanel.autoRefresh', true, vscode.ConfigurationTarget.Workspace);
    try {
      // Turning it on arms the open panel too; a new sign-in is refreshed ~3 s after it is shown.
      const watched = await signIn();
      const started = Date.now();
      await until(() => titles(watched).includes('Access token (refreshed)'), 10_000);
      assert.ok(Date.now() - started >= 1_500, 'refreshed long before the access token neared its expiry');
      const [, , used, ...added] = watched.views;
      assert.equal(used.verdict.status, 'inactive', 'the used refresh token is not shown retired');
      assert.deepEqual(
        added.slice(0, 3).map((v) => [v.title, v.verdict.status]),
        [
          ['Access token (refreshed)', 'valid'],
          ['ID token (refreshed)', 'valid'],
          ['Refresh token (refreshed)', 'valid'],
        ],
      );
      await until(() => titles(untouched).includes('Access token (refreshed)'), 10_000);
    } finally {
      await settings.update('tokenPanel.autoRefresh', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the loopback listener answers 400 to a callback with another state, and the real callback still finishes the flow', async () => {
    const refusals: string[] = [];
    const browser = useBrowser((b) => async (url) => {
      const first = await get(url);
      assert.equal(first.status, 302);
      const real = new URL(first.location!);
      for (const forged of ['forged-state', '']) {
        const other = new URL(real);
        if (forged) other.searchParams.set('state', forged);
        else other.searchParams.delete('state');
        const answer = await get(other.toString());
        refusals.push(`${answer.status} ${answer.text}`);
      }
      b().redirects.push(real.toString());
      const page = await get(real.toString());
      b().pages.push(`${page.status} ${page.text}`);
    });
    const ui = script(s, [{ pickMany: ['openid'] }, { input: ALICE }]);
    const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
    await browser.done;
    assert.deepEqual(browser.errors, []);
    assert.ok(result, ui.texts().join(' | '));
    assert.deepEqual(
      refusals.map((r) => r.slice(0, 3)),
      ['400', '400'],
    );
    assert.match(browser.pages[0], /^200 [\s\S]*Sign-in finished/);
    assert.equal(result.views.find((v) => v.title === 'ID token')?.verdict.status, 'valid');
  });

  it('a browser that cannot reach the listener: the address it ended on, pasted, finishes the flow (a wrong one is refused)', async () => {
    const browser = useBrowser(signInWithoutReturning);
    const log = captureLog(s);
    try {
      const ui = script(s, [{ pickMany: ['openid', 'profile'] }, { input: ALICE }]);
      const running = runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
      await until(() => browser.redirects.length > 0, 20_000);
      const address = new URL(browser.redirects[0]);
      const code = address.searchParams.get('code');
      assert.ok(code);
      const forged = new URL(address);
      forged.searchParams.set('state', 'forged-state');
      const withoutCode = new URL(address);
      withoutCode.searchParams.delete('code');
      // From the status bar item: the quick pick, then the input box.
      ui.push(
        { pick: PASTE_ACTION },
        { input: `code=${code}` },
        { input: forged.toString() },
        { input: withoutCode.toString() },
        { input: address.toString() },
      );
      assert.equal(await runCommand(s, 'slashid.flows.showPendingSignIn'), true);
      const result = await running;
      ui.assertDone();
      assert.ok(result, ui.texts().join(' | '));
      assert.equal(result.route, 'loopback');
      assert.equal(result.views.find((v) => v.title === 'ID token')?.verdict.status, 'valid');
      assert.deepEqual(
        ui.refusals.map((r) => r.split(/[:,]/)[0]),
        [
          'This is not an address',
          "This address answers another sign-in (its state is not this request's)",
          'This address carries no authorization code',
        ],
      );
      const shown = [...ui.refusals, ...ui.texts(), ...log.lines].join('\n');
      assert.ok(!shown.includes(code), 'the code was shown or logged');
      assert.match(log.lines.join('\n'), /the answer was pasted from the browser/);
      // The pasted answer won: the listener, which never received anything, is closed.
      await assertListenerClosed(browser.opened[0]);
      // With no sign-in waiting, there is nothing to paste into.
      const after = script(s, []);
      assert.equal(await runCommand(s, 'slashid.flows.pasteRedirectAddress'), undefined);
      assert.match(after.texts('error').join(' | '), /No sign-in is waiting for the browser, so there is no address to paste/);
    } finally {
      log.stop();
    }
  });

  it('a pasted address of another sign-in is refused, and the flow keeps waiting until cancelled', async () => {
    const browser = useBrowser(signInWithoutReturning);
    const ui = script(s, [{ pickMany: ['openid'] }, { input: ALICE }]);
    const running = runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
    await until(() => browser.redirects.length > 0, 20_000);
    const forged = new URL(browser.redirects[0]);
    forged.searchParams.set('state', 'forged-state');
    ui.push({ input: forged.toString() }); // then the box is closed (no answer left)
    assert.equal(await runCommand(s, 'slashid.flows.pasteRedirectAddress'), false);
    assert.match(ui.refusals.join(' | '), /^This address answers another sign-in/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(ui.texts('error'), [], 'the refused address ended the flow');
    await vscode.commands.executeCommand('slashid.flows.cancelSignIn');
    assert.equal(await running, undefined);
    assert.match(ui.texts('info').join(' | '), /was cancelled, so no tokens were requested/);
  });

  it("VS Code's own redirect URI: a client that has it registered signs in through the URI handler; a URI with another state is ignored", async () => {
    const editorUri = `${vscode.env.uriScheme}://slashid.slashid-oauth2/callback`;
    // Created through the API as a developer would (a custom-scheme redirect URI, RFC 8252 §7.1).
    const created = await fetch(`${demo.emulator.url}/oauth2/clients`, {
      method: 'POST',
      headers: {
        'SlashID-OrgID': demo.connection.orgId,
        'SlashID-API-Key': demo.emulator.demo.apiKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        client_name: 'Editor Redirect App',
        grant_types: ['authorization_code'],
        scopes: ['openid'],
        public: true,
        redirect_uris: [editorUri],
      }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const clientId = ((await created.json()) as { result: { client_id: string } }).result.client_id;
    s.model.invalidate();
    const browser = useBrowser(signInWithoutReturning);
    browser.editorRedirect = editorUri;
    const ui = script(s, [{ pickMany: ['openid'] }, { input: 'alice@example.com' }]);
    const running = runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(clientId));
    await until(() => browser.redirects.length > 0, 20_000);
    assert.equal(
      new URL(browser.opened[0]).searchParams.get('redirect_uri'),
      editorUri,
      'the request did not name the editor redirect URI',
    );
    const answer = vscode.Uri.parse(browser.redirects[0], true);
    assert.equal(`${answer.scheme}://${answer.authority}${answer.path}`, editorUri);
    // What the workbench does with a URI of this extension (vscode.open routes it to the URI handler in this window).
    const forged = answer.with({ query: answer.query.replace(/state=[^&]*/, 'state=forged') });
    const log = captureLog(s);
    try {
      await vscode.commands.executeCommand('vscode.open', forged);
      await until(() => log.lines.some((l) => /a URI for this extension that answers no waiting sign-in was ignored/.test(l)));
    } finally {
      log.stop();
    }
    assert.ok(!log.lines.join('\n').includes(answer.query.slice(0, 20)), 'the URI was logged');
    let settled = false;
    void running.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(settled, false, 'a URI with another state ended the wait');
    await vscode.commands.executeCommand('vscode.open', answer);
    const result = await running;
    assert.ok(result, ui.texts().join(' | '));
    assert.equal(result.route, 'editor');
    assert.equal(result.views.find((v) => v.title === 'ID token')?.verdict.status, 'valid');
  });

  it('a login hint typed as a plain email address or a username signs that person in; a hint that is none says why', async () => {
    const CAROL = '7a3e5c82-1d9f-4e60-b4a7-3f0c8d2e9b16';
    for (const [typed, hint, person] of [
      ['alice@example.com', 'email_address:alice@example.com', ALICE],
      ['carol', 'username:carol', CAROL],
    ] as const) {
      const browser = useBrowser(signInWithHint);
      const ui = script(s, [{ pickMany: ['openid'] }, { input: 'alice smith' }, { input: typed }]);
      const result = await runCommand<CodeFlowResult>(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
      await browser.done;
      assert.deepEqual(browser.errors, [], `the emulator did not sign in "${typed}" at once`);
      assert.ok(result, ui.texts().join(' | '));
      assert.match(
        ui.asked.find((a) => a.includes('Login hint')) ?? '',
        /an email address, a phone number with its country code \(\+…\), a username or a person ID/,
      );
      assert.match(ui.refusals[0] ?? '', /^The login hint is not an email address, a phone number/);
      assert.equal(new URL(browser.opened[0]).searchParams.get('login_hint'), hint);
      viewer = result.viewer;
      const id = result.views.find((v) => v.title === 'ID token');
      assert.ok(id);
      const revealed = await viewer.dispatch({ type: 'reveal', requestId: requestId++, tokenId: id.tokenId });
      assert.ok(revealed?.type === 'reply' && revealed.reply.kind === 'revealed');
      const payload = JSON.parse(Buffer.from(revealed.reply.token.split('.')[1], 'base64url').toString('utf8')) as { sub?: string };
      assert.equal(payload.sub, person, typed);
    }
  });

  it('error=access_denied: the person cancels on the sign-in page', async () => {
    const browser = useBrowser((b) => async (url) => {
      const signIn = await get(url);
      assert.equal(signIn.status, 200);
      const cancel = /<a href="([^"]+)">Cancel and deny access<\/a>/
        .exec(signIn.text)?.[1]
        ?.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
      assert.ok(cancel, 'no cancel link on the sign-in page');
      // The cancel link leads straight back to the redirect URI, with error=access_denied.
      const back = new URL(cancel, url);
      assert.equal(back.searchParams.get('error'), 'access_denied');
      const page = await get(back.toString());
      assert.equal(page.status, 200);
      b().pages.push(page.text);
    });
    const ui = script(s, [{ pickMany: ['openid'] }, { input: '' }]);
    assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient)), undefined);
    await browser.done;
    assert.deepEqual(browser.errors, []);
    const errors = ui.texts('error');
    assert.equal(errors.length, 1);
    assert.match(
      errors[0],
      /ended with the error access_denied: The person cancelled the sign-in\., so no tokens were issued; the sign-in was cancelled or refused/,
    );
  });

  it('timeout: the listener closes and the flow says so', async () => {
    await timeoutSetting(1);
    try {
      const browser = useBrowser();
      const ui = script(s, [{ pickMany: ['openid'] }, { input: ALICE }]);
      assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient)), undefined);
      assert.match(ui.texts('error').join(' | '), /No answer came back from the browser within 1 s/);
      await assertListenerClosed(browser.opened[0]);
    } finally {
      await timeoutSetting(undefined);
    }
  });

  it('cancel: "Cancel Sign-In" stops the wait and closes the listener', async () => {
    const browser = useBrowser();
    const ui = script(s, [{ pickMany: ['openid'] }, { input: ALICE }]);
    const running = runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(publicClient));
    const started = Date.now();
    while (browser.opened.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 20));
    await vscode.commands.executeCommand('slashid.flows.cancelSignIn');
    assert.equal(await running, undefined);
    assert.match(ui.texts('info').join(' | '), /was cancelled, so no tokens were requested/);
    await assertListenerClosed(browser.opened[0]);
  });

  it('no loopback redirect URI: declining to add one changes nothing', async () => {
    const browser = useBrowser();
    const before = (await clientNode(PARTNER_PORTAL)).client.redirect_uris;
    script(s, [{ confirm: true }]);
    await runCommand(s, 'slashid.clients.rotateSecret', await clientNode(PARTNER_PORTAL));
    const ui = script(s, [{ confirm: false }]);
    assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(PARTNER_PORTAL)), undefined);
    assert.match(ui.texts('error').join(' | '), /has no loopback redirect URI registered/);
    assert.deepEqual(browser.opened, []);
    assert.deepEqual((await clientNode(PARTNER_PORTAL)).client.redirect_uris, before);
  });

  it('a confidential client without a stored secret: nothing is opened', async () => {
    await s.vault.deleteClientSecret(demo.connection.id, PARTNER_PORTAL);
    const browser = useBrowser();
    const ui = script(s, []);
    assert.equal(await runCommand(s, 'slashid.flows.runCodeFlow', await clientNode(PARTNER_PORTAL)), undefined);
    assert.match(ui.texts('error').join(' | '), /No secret is stored for "Partner Portal", a confidential client/);
    assert.deepEqual(browser.opened, []);
  });
});
