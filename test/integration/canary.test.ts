/**
 * The canary run: the whole flow with known secrets (an API key, client secrets, tokens), failing on purpose
 * on the way, then a search of every place the extension writes or shows text for each of them. Zero hits.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import type { ClientNode, TreeNode } from '../../src/clients/treeNodes';
import type { MintController } from '../../src/minter/mintController';
import type { Reply } from '../../src/tokenPanels/protocol';
import type { OAuth2Client } from '../../src/slashid/schemas';
import type { DecodeTokenResult } from '../../src/inspect/commands/decodeToken';
import { CONSOLE_TAG } from '../../scripts/vscode/testReport';
import type { ScriptedUserInput } from './scriptedUserInput';
import { captureLog, children, connectViaCustomUrl, hoverText, logText, resetState, runCommand, script, services } from './services';
import { autoApproveTools, confirmationText, invokeInChat, prepare } from './chatTools';
import { rootTarget } from '../../src/orgs/orgTarget';
import { PlayingBrowser, captureSentRequests, signInWithHint } from './playingBrowser';
import type { CodeFlowResult } from '../../src/flows/commands/runAuthorizationCodeFlow';

const ORG = '5a5a5a5a-0000-4000-8000-00000000c0de';
const PERSON = '5a5a5a5a-0000-4000-8000-0000000000a1';
const CANARY_KEY = 'canary-apikey-5b9e2d7c4a1f3068';
const WRONG_KEY = 'canary-wrongkey-8c3a1e6f0d2b4975';
const REVOKED_KEY = 'canary-revokedkey-2f4d6b8a0c1e3579';
const WRONG_SECRET = 'canary-wrongsecret-7e1c3a5b9d2f4068';

/** Every regular file under a directory (recursively), skipping what cannot be read. */
async function filesUnder(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'latin1'); // byte-for-byte: canaries are ASCII
  } catch {
    return undefined;
  }
}

function treeText(node: TreeNode): string {
  const item = node.getTreeItem();
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
  return [label, String(item.description ?? ''), tooltip].join('\n');
}

describe('canary: known secrets never leave SecretStorage', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;
  let stateDir: string;
  let connection: OrgConnection | undefined;
  const uis: ScriptedUserInput[] = [];

  function ui(answers: Parameters<typeof script>[1]): ScriptedUserInput {
    const u = script(s, answers);
    uis.push(u);
    return u;
  }

  before(async () => {
    s = await services();
    await resetState(s);
    stateDir = await fs.mkdtemp(path.join(os.tmpdir(), 'slashid-canary-'));
    emulator = await startEmulator({
      port: 0,
      demo: false,
      stateFile: path.join(stateDir, 'emulator-state.json'),
      seed: { orgs: [{ id: ORG, api_key: CANARY_KEY, name: 'Canary' }], persons: [{ person_id: PERSON, org_id: ORG }] },
    });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetState(s);
    await emulator?.close();
    await fs.rm(stateDir, { recursive: true, force: true });
  });

  it('runs the whole flow, fails on purpose, and finds no canary anywhere', async () => {
    const log = captureLog(s);
    const shown: { place: string; text: string }[] = [];
    const canaries: { name: string; value: string }[] = [
      { name: 'API key', value: CANARY_KEY },
      { name: 'refused API key', value: WRONG_KEY },
      { name: 'revoked API key', value: REVOKED_KEY },
      { name: 'refused client secret', value: WRONG_SECRET },
    ];
    try {
      // Connect: a wrong key first (refused), then the canary key.
      let u = ui([
        { pick: 'Custom URL' },
        { input: emulator.url },
        { input: ORG },
        { input: WRONG_KEY },
        { input: CANARY_KEY },
        { input: 'Canary' },
      ]);
      connection = await runCommand<OrgConnection | undefined>('slashid.orgs.connect');
      assert.ok(connection, u.texts().join(' | '));
      assert.equal(u.refusals.length, 1, 'the wrong key was not refused');
      assert.match(u.refusals[0], /401|rejected/);
      const [org] = await children(s);
      assert.ok(org);

      // Create a client: its secret (from SecretStorage) is a canary.
      u = ui([
        { input: 'canary-client' },
        { pickMany: ['client_credentials', 'authorization_code'] },
        { input: 'openid offline_access read' },
        { input: 'https://canary.example.com/cb' },
        { input: '1h' },
        { input: '1d' },
      ]);
      const created = await runCommand<OAuth2Client | undefined>('slashid.clients.create', org);
      assert.ok(created, u.texts().join(' | '));
      const firstSecret = await s.vault.getClientSecret(connection.id, created.client_id);
      assert.ok(firstSecret);
      canaries.push({ name: 'created client secret', value: firstSecret });

      const clientNode = async (): Promise<ClientNode> => {
        const node = (await children(s, org)).find((n): n is ClientNode => n.kind === 'client' && n.client.client_id === created.client_id);
        assert.ok(node, 'the new client is not in the tree');
        return node;
      };

      // Rotate: the new secret is a canary too.
      ui([{ confirm: true }]);
      assert.equal(await runCommand('slashid.clients.rotateSecret', await clientNode()), 'rotated-and-verified');
      const secondSecret = await s.vault.getClientSecret(connection.id, created.client_id);
      assert.ok(secondSecret && secondSecret !== firstSecret);
      canaries.push({ name: 'rotated client secret', value: secondSecret });
      for (const secret of [firstSecret, secondSecret, WRONG_SECRET]) {
        canaries.push({ name: 'HTTP Basic credentials', value: Buffer.from(`${created.client_id}:${secret}`).toString('base64') });
      }

      // A client-credentials token.
      ui([{ pickMany: ['read'] }]);
      const got = await runCommand<{ token: { access_token: string } } | undefined>('slashid.clients.getToken', await clientNode());
      assert.ok(got?.token.access_token);
      canaries.push({ name: 'client-credentials access token', value: got.token.access_token });

      // Mint through the minter seam: every token is a canary.
      const minter = await runCommand<MintController>('slashid.minter.open', await clientNode());
      assert.ok(minter);
      const orgKey = `${connection.id}#${connection.orgId}`;
      let requestId = 1;
      const dispatch = async (message: Record<string, unknown>): Promise<Reply> => {
        const answer = await minter.dispatch({ ...message, requestId: requestId++ });
        assert.ok(answer?.type === 'reply');
        if (answer.reply.kind !== 'revealed') shown.push({ place: `minter reply (${answer.reply.kind})`, text: JSON.stringify(answer) });
        return answer.reply;
      };
      const minted = await dispatch({
        type: 'mint',
        orgKey,
        clientId: created.client_id,
        personId: PERSON,
        scopes: ['openid', 'offline_access'],
        claimsText: '{"team": "canary"}',
      });
      assert.equal(minted.kind, 'minted', JSON.stringify(minted));
      const raws: string[] = [];
      for (const token of minted.kind === 'minted' ? minted.tokens : []) {
        const revealed = await dispatch({ type: 'reveal', tokenId: token.tokenId });
        assert.equal(revealed.kind, 'revealed');
        if (revealed.kind === 'revealed') {
          raws.push(revealed.token);
          canaries.push({ name: `minted ${token.title.toLowerCase()}`, value: revealed.token });
        }
      }
      assert.equal(raws.length, 3, 'expected an access, an ID and a refresh token');

      // Hover the minted access token, and decode the ID token.
      const document = await vscode.workspace.openTextDocument({
        language: 'plaintext',
        content: `Authorization: Bearer ${raws[0]}\nid=${raws[1]}`,
      });
      const hover = await hoverText(document, 0, 'Authorization: Bearer '.length + 10);
      assert.match(hover, /\*\*Valid\*\*/, hover);
      shown.push({ place: 'hover', text: hover });
      const decoded = await runCommand<DecodeTokenResult | undefined>('slashid.tokens.decode', raws[1]);
      assert.equal(decoded?.view.verdict.status, 'valid');
      shown.push({ place: 'decoded token view', text: JSON.stringify(decoded.view) });

      // The authorization-code flow (issue 13): its code, PKCE verifier, state and every token are canaries, and so
      // are the tokens a refresh gives and the access token "Copy Access Token" copies. (The nonce is not: it is a
      // claim of the ID token, whose decoded payload the panel shows by design.)
      const requests = captureSentRequests();
      const browser: PlayingBrowser = new PlayingBrowser(signInWithHint(() => browser));
      s.browser = browser;
      ui([{ confirm: true }, { pickMany: ['openid', 'offline_access'] }, { input: PERSON }]);
      const flow = await runCommand<CodeFlowResult>('slashid.flows.runCodeFlow', await clientNode());
      await browser.done;
      requests.stop();
      assert.ok(flow, JSON.stringify(browser.errors));
      const callback = new URL(browser.redirects[0] ?? '');
      const authorization = new URL(browser.opened[0] ?? '');
      const verifier = /code_verifier=([A-Za-z0-9_-]{43})/.exec(requests.sent.map((r) => r.body).join('\n'))?.[1];
      assert.ok(verifier, 'the code exchange was not seen');
      canaries.push(
        { name: 'authorization code', value: callback.searchParams.get('code') ?? '' },
        { name: 'PKCE verifier', value: verifier },
        { name: 'state', value: authorization.searchParams.get('state') ?? '' },
      );
      assert.ok(canaries.every((c) => c.value.length > 20));
      shown.push(
        { place: 'code-flow views', text: JSON.stringify(flow.views) },
        { place: 'loopback page', text: browser.pages.join('\n') },
      );
      const flowReply = async (message: Record<string, unknown>): Promise<Reply> => {
        const answer = await flow.viewer.dispatch({ ...message, requestId: requestId++ });
        assert.ok(answer?.type === 'reply');
        if (answer.reply.kind !== 'revealed')
          shown.push({ place: `token panel reply (${answer.reply.kind})`, text: JSON.stringify(answer) });
        return answer.reply;
      };
      const refreshTokenView = flow.views.find((v) => v.title === 'Refresh token');
      assert.ok(refreshTokenView);
      const refreshed = await flowReply({ type: 'tokenAction', tokenId: refreshTokenView.tokenId, action: 'refresh' });
      assert.equal(refreshed.kind, 'tokenActionDone', JSON.stringify(refreshed));
      for (const view of [...flow.views, ...(refreshed.kind === 'tokenActionDone' ? refreshed.added : [])]) {
        const revealed = await flowReply({ type: 'reveal', tokenId: view.tokenId });
        if (revealed.kind === 'revealed') canaries.push({ name: `code-flow ${view.title.toLowerCase()}`, value: revealed.token });
      }
      assert.ok(canaries.some((c) => c.name === 'code-flow refresh token (refreshed)'));
      await flowReply({ type: 'tokenAction', tokenId: flow.views[0]?.tokenId ?? '', action: 'userinfo' });
      ui([]);
      await runCommand('slashid.clients.copyAccessToken', await clientNode());
      canaries.push({ name: 'copied access token', value: await vscode.env.clipboard.readText() });
      await vscode.env.clipboard.writeText('');

      // Fail on purpose: a refused secret, a 500 on the list, a revoked key (401).
      u = ui([{ input: WRONG_SECRET }]);
      assert.equal(await runCommand('slashid.clients.storeSecret', await clientNode()), false);
      assert.match(u.texts('error')[0] ?? '', /rejected/);
      emulator.faults.set('GET /oauth2/clients', { status: 500 });
      await runCommand('slashid.clients.refresh', org);
      const failedList = await children(s, org);
      assert.equal(failedList[0]?.getTreeItem().contextValue, 'slashid:error');
      shown.push({ place: 'tree (500)', text: failedList.map(treeText).join('\n') });
      emulator.faults.clear();
      s.model.invalidate();
      const node = await clientNode();
      await s.vault.storeApiKey(connection.id, REVOKED_KEY);
      u = ui([]);
      assert.equal(await runCommand('slashid.clients.show', node), undefined);
      assert.match(u.texts('error')[0] ?? '', /401/);
      s.model.invalidate();
      const revokedList = await children(s, org);
      assert.match(String(revokedList[0]?.getTreeItem().description), /401/);
      shown.push({ place: 'tree (401)', text: revokedList.map(treeText).join('\n') });
      await s.vault.storeApiKey(connection.id, CANARY_KEY);
      s.model.invalidate();

      // What "Copy Last Request as curl" gives.
      ui([]);
      const curl = await runCommand<string>('slashid.requests.copyAsCurl');
      shown.push({ place: 'curl', text: curl });
    } finally {
      log.stop();
    }

    // ---- Search --------------------------------------------------------------------------------
    const places: { place: string; text: string }[] = [...shown];
    // Settings: the slashid section, every contributed setting at every level, and the settings files.
    places.push({ place: 'settings: slashid section', text: JSON.stringify(vscode.workspace.getConfiguration('slashid')) });
    const contributed = Object.keys(
      (s.context.extension.packageJSON as { contributes: { configuration: { properties: Record<string, unknown> } } }).contributes
        .configuration.properties,
    );
    for (const key of contributed) {
      places.push({ place: `settings: inspect(${key})`, text: JSON.stringify(vscode.workspace.getConfiguration().inspect(key) ?? null) });
    }
    const userDir = path.dirname(path.dirname(s.context.globalStorageUri.fsPath)); // …/User/globalStorage/<ext> → …/User
    const settingsFiles = [path.join(userDir, 'settings.json')];
    for (const folder of vscode.workspace.workspaceFolders ?? [])
      settingsFiles.push(path.join(folder.uri.fsPath, '.vscode', 'settings.json'));
    if (vscode.workspace.workspaceFile?.scheme === 'file') settingsFiles.push(vscode.workspace.workspaceFile.fsPath);
    for (const file of settingsFiles) {
      const text = await readIfPresent(file);
      if (text !== undefined) places.push({ place: `settings file ${file}`, text });
    }
    // Mementos: every key.
    const memento = (m: vscode.Memento) => JSON.stringify(m.keys().map((k) => [k, m.get(k)]));
    places.push({ place: 'globalState', text: memento(s.context.globalState) });
    places.push({ place: 'workspaceState', text: memento(s.context.workspaceState) });
    // The log: the file VS Code writes, and every line handed to the Logger during the run.
    places.push({ place: 'log file', text: await logText(s) });
    places.push({ place: 'log lines', text: log.lines.join('\n') });
    // Every message shown and every refusal of an input box.
    for (const u of uis) {
      places.push({ place: 'messages', text: u.messages.map((m) => `${m.text} [${m.actions.join(', ')}]`).join('\n') });
      places.push({ place: 'input refusals', text: u.refusals.join('\n') });
      places.push({ place: 'questions asked', text: u.asked.join('\n') });
    }
    // Webview state: what a restored minter is given (its results), and the form a reload keeps (host side).
    const minter = await runCommand<MintController>('slashid.minter.open');
    places.push({ place: 'minter restore state', text: JSON.stringify(minter.initMessage()) });
    // The tree as drawn.
    const [org] = await children(s);
    const nodes = [org, ...(await children(s, org))];
    for (const n of [...nodes]) if (n.kind === 'client') nodes.push(...(await children(s, n)));
    places.push({ place: 'tree', text: nodes.map(treeText).join('\n') });
    // Every file under the extension's storage and log folders, and the emulator's state files.
    const dirs = [s.context.globalStorageUri, s.context.storageUri, s.context.logUri]
      .filter((u): u is vscode.Uri => u !== undefined)
      .map((u) => u.fsPath);
    dirs.push(stateDir);
    let files = 0;
    for (const dir of dirs) {
      for (const file of await filesUnder(dir)) {
        const text = await readIfPresent(file);
        if (text === undefined) continue;
        files++;
        places.push({ place: `file ${file}`, text });
      }
    }
    assert.ok(files > 0, 'no file was found to search');
    assert.ok(
      places.some((p) => p.place === 'log file' && p.text.includes('/oauth2/clients')),
      'the log file has no request lines: the search would prove nothing',
    );

    const leaks: string[] = [];
    for (const { place, text } of places) {
      for (const canary of canaries) {
        if (text.includes(canary.value)) leaks.push(`${canary.name} in ${place}`);
      }
    }
    console.log(`${CONSOLE_TAG}canary: ${places.length} places searched, ${leaks.length} leaks found`);
    console.log(`${CONSOLE_TAG}canary: ${canaries.length} canaries; ${files} files read under ${dirs.length} folders`);
    assert.deepEqual(leaks, [], 'canaries leaked');
  });
});

describe('canary: chat tool results carry no secret', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;

  before(async () => {
    s = await services();
    await resetState(s);
    await autoApproveTools(true);
    emulator = await startEmulator({
      port: 0,
      demo: false,
      seed: { orgs: [{ id: ORG, api_key: CANARY_KEY, name: 'Canary' }], persons: [{ person_id: PERSON, org_id: ORG }] },
    });
  });

  after(async () => {
    await autoApproveTools(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetState(s);
    await emulator?.close();
  });

  it('runs every tool, fails on purpose, and finds no key, secret or raw token in any result', async () => {
    const log = captureLog(s);
    const outputs: { place: string; text: string }[] = [];
    const canaries: { name: string; value: string }[] = [{ name: 'API key', value: CANARY_KEY }];
    const call = async (name: string, input: object) => {
      const { reply, text } = await invokeInChat(s, name, input);
      outputs.push({ place: `${name} result`, text });
      return reply;
    };
    const ask = async (name: string, input: object) => {
      outputs.push({ place: `${name} confirmation`, text: confirmationText(await prepare(s, name, input)) });
    };
    try {
      const connection = await connectViaCustomUrl(s, emulator, ORG, CANARY_KEY, 'Canary');
      assert.equal((await call('slashid_listOrganizations', {})).ok, true);

      const createInput = {
        org: ORG,
        name: 'canary-chat',
        grantTypes: ['client_credentials', 'authorization_code'],
        scopes: ['openid', 'offline_access'],
        redirectUris: ['https://c.example.com/cb'],
      };
      await ask('slashid_createClient', createInput);
      const created = await call('slashid_createClient', createInput);
      assert.equal(created.ok, true, JSON.stringify(created));
      const clientId = (created.created as { clientId: string }).clientId;
      const first = await s.vault.getClientSecret(connection.id, clientId);
      assert.ok(first);
      canaries.push({ name: 'created client secret', value: first });

      assert.equal((await call('slashid_listClients', { org: ORG })).ok, true);
      assert.equal((await call('slashid_showClient', { org: ORG, clientId })).ok, true);
      await ask('slashid_rotateClientSecret', { org: ORG, clientId });
      assert.equal((await call('slashid_rotateClientSecret', { org: ORG, clientId })).outcome, 'rotated-and-verified');
      const second = await s.vault.getClientSecret(connection.id, clientId);
      assert.ok(second && second !== first);
      canaries.push({ name: 'rotated client secret', value: second });
      assert.equal((await call('slashid_searchPersons', { org: ORG, search: PERSON })).ok, true);

      // Minted tokens: the raw ones (with a refresh token, introspected with the stored secret) never reach the chat.
      const mintInput = { org: ORG, clientId, personId: PERSON, scopes: ['openid', 'offline_access'], customClaims: { team: 'blue' } };
      await ask('slashid_mintTokens', mintInput);
      const minted = await call('slashid_mintTokens', mintInput);
      assert.equal(minted.ok, true, JSON.stringify(minted));
      assert.equal((minted.tokens as unknown[]).length, 3, 'no ID and refresh tokens to search for');
      // A token the model hands to the decoder is not echoed back.
      const api = await s.orgApis.forTarget(rootTarget(connection));
      const raw = (await api.mintTokens({ person_id: PERSON, client_id: clientId, scopes: [] })).access_token;
      canaries.push({ name: 'raw token', value: raw }, { name: 'token signature', value: raw.split('.')[2] ?? raw });
      assert.equal((await call('slashid_decodeToken', { token: `Bearer ${raw}` })).ok, true);

      // Failing on purpose: a refused key, then a delete.
      await s.vault.storeApiKey(connection.id, WRONG_KEY);
      canaries.push({ name: 'refused API key', value: WRONG_KEY });
      s.model.invalidate();
      assert.equal((await call('slashid_listClients', { org: ORG })).ok, false);
      await s.vault.storeApiKey(connection.id, CANARY_KEY);
      s.model.invalidate();
      await ask('slashid_deleteClient', { org: ORG, clientId });
      assert.equal((await call('slashid_deleteClient', { org: ORG, clientId })).ok, true);
    } finally {
      log.stop();
    }
    outputs.push({ place: 'log lines', text: log.lines.join('\n') }, { place: 'log file', text: await logText(s) });
    assert.ok(outputs.length > 15, 'too few outputs: the search would prove nothing');

    const leaks: string[] = [];
    for (const { place, text } of outputs) {
      for (const canary of canaries) if (text.includes(canary.value)) leaks.push(`${canary.name} in ${place}`);
      if (place.endsWith('result') && /eyJ[\w-]+\.[\w-]+\.[\w-]+/.test(text)) leaks.push(`a JWT in ${place}`);
      if (place.endsWith('result') && /sid_(?:at|rt)_/.test(text)) leaks.push(`an opaque token in ${place}`);
    }
    console.log(
      `${CONSOLE_TAG}canary (chat): ${outputs.length} outputs searched for ${canaries.length} canaries, ${leaks.length} leaks found`,
    );
    assert.deepEqual(leaks, [], 'canaries leaked');
  });
});
