import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import type { Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { OrgConnection } from '../../src/orgs/connections';
import { rootTarget } from '../../src/orgs/orgTarget';
import { CHAT_TOOLS } from '../../src/chat/tools';
import { CHAT_TOOL_NAMES } from '../../src/chat/toolNames';
import { ALPHA, PERSON, ROOT_KEY, ROOT_ORG, SUB_CLIENT, SUB_ORG, ZULU, startSeededEmulator } from './fixtures';
import { connectViaCustomUrl, hoverText, resetState, services, until } from './services';
import { getExtension } from './extension';
import { autoApproveTools, confirmationText, invoke, invokeInChat, invokeUnprepared, prepare, toolObject } from './chatTools';
import { panelRequests } from './panelRequests';

interface ContributedTool {
  name: string;
  modelDescription: string;
  inputSchema: unknown;
}

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/;
const MINT_ROUTE = 'POST /oauth2/tokens/mint';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('chat tools', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;
  let connection: OrgConnection;

  before(async () => {
    s = await services();
    await autoApproveTools(true);
  });
  after(async () => {
    await autoApproveTools(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetState(s);
  });
  // A fresh emulator per test: each starts from the same seed.
  beforeEach(async () => {
    emulator = await startSeededEmulator();
    await resetState(s);
    connection = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Root');
  });
  afterEach(() => emulator.close());

  it('contributes every tool, with the JSON schema its zod schema gives', () => {
    const contributed = (getExtension().packageJSON as { contributes: { languageModelTools: ContributedTool[] } }).contributes
      .languageModelTools;
    assert.deepEqual(
      contributed.map((t) => t.name),
      [...CHAT_TOOL_NAMES],
    );
    for (const tool of contributed) {
      const schema = z.toJSONSchema(CHAT_TOOLS[tool.name as keyof typeof CHAT_TOOLS].input, { io: 'input' }) as Record<string, unknown>;
      delete schema.$schema;
      assert.deepEqual(tool.inputSchema, schema, `${tool.name}: package.json's inputSchema is not the zod schema's`);
      assert.ok(tool.modelDescription.length > 80, `${tool.name} has no real modelDescription`);
      assert.ok(
        vscode.lm.tools.some((t) => t.name === tool.name),
        `${tool.name} is not registered`,
      );
    }
  });

  it('lists the connected organizations', async () => {
    const { reply } = await invoke('slashid_listOrganizations', {});
    assert.equal(reply.ok, true);
    assert.deepEqual(
      (reply.organizations as { orgId: string; name: string; environment: string }[]).map((o) => [o.orgId, o.name, o.environment]),
      [[ROOT_ORG, 'Root', 'custom']],
    );
  });

  it("lists an org's clients (names, IDs, grant types) and shows one", async () => {
    const listed = await invokeInChat(s, 'slashid_listClients', { org: ROOT_ORG });
    assert.equal(listed.reply.ok, true, listed.text);
    assert.deepEqual(listed.reply.clients, [
      { clientId: ALPHA, name: 'Alpha app', grantTypes: ['authorization_code'], secretStoredInVsCode: false },
      { clientId: ZULU, name: 'zulu-service', grantTypes: ['client_credentials'], secretStoredInVsCode: false },
    ]);
    // By connection name too.
    assert.equal((await invokeInChat(s, 'slashid_listClients', { org: 'root' })).reply.clientCount, 2);

    const shown = await invokeInChat(s, 'slashid_showClient', { org: ROOT_ORG, clientId: ALPHA });
    assert.equal(shown.reply.ok, true, shown.text);
    const client = shown.reply.client as Record<string, unknown>;
    assert.equal(client.name, 'Alpha app');
    assert.deepEqual(client.redirectUris, ['https://alpha.example.com/cb']);
    assert.equal(client.public, false);
    assert.equal(client.secretStoredInVsCode, false);
    assert.ok(
      emulator.requests.some((r) => r.method === 'GET' && r.path === `/oauth2/clients/${ALPHA}`),
      'show did not read the client from SlashID',
    );

    // A sub-organization, reached with the parent's key.
    const sub = await invokeInChat(s, 'slashid_listClients', { org: SUB_ORG });
    assert.deepEqual(
      (sub.reply.clients as { clientId: string }[]).map((c) => c.clientId),
      [SUB_CLIENT],
    );
  });

  it('shows server text inert: a hostile client name neither links nor breaks lines', async () => {
    const api = await s.orgApis.forTarget(rootTarget(connection));
    const hostile = await api.createClient({
      client_name: 'evil [Run](command:workbench.action.quit)\nline two <https://x.example>',
      grant_types: ['client_credentials'],
      scopes: [],
    });
    s.model.invalidate();
    const { reply, text } = await invokeInChat(s, 'slashid_listClients', { org: ROOT_ORG });
    const shown = (reply.clients as { clientId: string; name: string }[]).find((c) => c.clientId === hostile.client_id);
    assert.ok(shown, text);
    assert.equal(shown.name, 'evil [Run] (command:workbench.action.quit) line two ‹https://x.example>');
    const confirmation = confirmationText(await prepare(s, 'slashid_deleteClient', { org: ROOT_ORG, clientId: hostile.client_id }));
    assert.ok(!confirmation.includes('](command:') && !confirmation.includes('\nline two'), confirmation);
  });

  it('refuses a bad org, an unknown client and input outside the schema, with the reason', async () => {
    const badOrg = await invokeInChat(s, 'slashid_listClients', { org: '99999999-9999-4999-8999-999999999999' });
    assert.equal(badOrg.reply.ok, false);
    assert.match(
      badOrg.reply.error ?? '',
      /No connected SlashID organization has the ID or name "99999999-.*"; the connected ones are Root/,
    );

    const unknown = await invokeInChat(s, 'slashid_showClient', { org: ROOT_ORG, clientId: 'no-such-client' });
    assert.equal(unknown.reply.ok, false);
    assert.match(unknown.reply.error ?? '', /^Root has no OAuth2 client with the ID "no-such-client"/);

    const missing = await invokeInChat(s, 'slashid_showClient', { org: ROOT_ORG });
    assert.equal(missing.reply.ok, false);
    assert.match(missing.reply.error ?? '', /refused \(clientId: expected string, but it is missing\); nothing was done/);

    const badGrant = await invokeInChat(s, 'slashid_createClient', { org: ROOT_ORG, name: 'x', grantTypes: ['implicit'] });
    assert.equal(badGrant.reply.ok, false);
    assert.match(badGrant.reply.error ?? '', /grantTypes\[0\]: expected one of "client_credentials", "authorization_code"/);

    // A failed API call gives the commands' sentence (here: the key was revoked).
    await s.vault.storeApiKey(connection.id, 'canary-wrong-key-for-chat-0000');
    s.model.invalidate();
    const rejected = await invokeInChat(s, 'slashid_listClients', { org: ROOT_ORG });
    assert.equal(rejected.reply.ok, false);
    assert.match(rejected.reply.error ?? '', /401|rejected/);
    assert.ok(!rejected.text.includes('canary-wrong-key-for-chat-0000'));
  });

  it('decodes and verifies a token with the same verdicts as the hover', async () => {
    const api = await s.orgApis.forTarget(rootTarget(connection));
    const valid = (await api.mintTokens({ person_id: PERSON, client_id: ZULU, scopes: [], custom_claims: { team: 'blue' } })).access_token;
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${header}.${b64url({ ...claims, team: 'red' })}.${signature}`;

    const document = await vscode.workspace.openTextDocument({
      content: `Authorization: Bearer ${valid}\n${tampered}\n`,
      language: 'plaintext',
    });
    for (const [line, token, verdict, label] of [
      [0, `Bearer ${valid}`, 'valid', 'Valid'],
      [1, tampered, 'bad-signature', 'Bad signature'],
    ] as const) {
      const { reply, text } = await invoke('slashid_decodeToken', { token });
      assert.equal(reply.ok, true, text);
      const summary = reply.token as { verdict: string; verdictLabel: string; payload: string };
      assert.equal(summary.verdict, verdict);
      assert.equal(summary.verdictLabel, label);
      assert.match(summary.payload, line === 0 ? /"team": "blue"/ : /"team": "red"/);
      assert.ok(!text.includes(valid) && !text.includes(signature), 'the reply carries the raw token');
      assert.ok((await hoverText(document, line, 30)).includes(`**${label}**`), `the hover does not say ${label}`);
    }

    const notToken = await invoke('slashid_decodeToken', { token: 'hello world' });
    assert.equal(notToken.reply.ok, false);
    assert.match(notToken.reply.error ?? '', /^Not a token that can be decoded: /);
  });

  it('finds persons with the SCIM filter the API client builds', async () => {
    const found = await invokeInChat(s, 'slashid_searchPersons', { org: ROOT_ORG, search: PERSON.toUpperCase() });
    assert.equal(found.reply.ok, true, found.text);
    assert.deepEqual(
      (found.reply.persons as { personId: string }[]).map((p) => p.personId),
      [PERSON],
    );
    const everyone = await invokeInChat(s, 'slashid_searchPersons', { org: ROOT_ORG });
    assert.equal((everyone.reply.persons as unknown[]).length, 1);

    const refused = await invokeInChat(s, 'slashid_searchPersons', { org: ROOT_ORG, search: 'two words' });
    assert.equal(refused.reply.ok, false);
    assert.match(refused.reply.error ?? '', /"two words" is not an email address, a phone number/);
  });

  it('asks before each write, naming exactly what will happen', async () => {
    for (const [name, input] of [
      ['slashid_listOrganizations', {}],
      ['slashid_listClients', { org: ROOT_ORG }],
      ['slashid_showClient', { org: ROOT_ORG, clientId: ZULU }],
      ['slashid_decodeToken', { token: 'x' }],
    ] as const) {
      const prepared = await prepare(s, name, input);
      assert.equal(prepared.confirmationMessages, undefined, `${name} asks for a confirmation`);
    }

    const create = confirmationText(
      await prepare(s, 'slashid_createClient', {
        org: ROOT_ORG,
        name: 'billing-service',
        grantTypes: ['client_credentials'],
        scopes: ['read:invoices'],
      }),
    );
    assert.equal(
      create,
      'Create the OAuth2 client "billing-service" in Root?\n' +
        `SlashID creates the client "billing-service" in Root (org ${ROOT_ORG}): grant types: client_credentials; scopes: read:invoices; confidential; access tokens live 1 day. Its secret is stored in VS Code's secret storage and is not shown to the chat.`,
    );

    const rotate = confirmationText(await prepare(s, 'slashid_rotateClientSecret', { org: ROOT_ORG, clientId: ZULU }));
    assert.equal(
      rotate,
      'Rotate the secret of "zulu-service"?\n' +
        `SlashID issues a new secret for "zulu-service" (client ID ${ZULU}) in Root (org ${ROOT_ORG}) and the current one stops working at once: every service that uses it will fail to get tokens until it has the new secret. The new secret is stored in VS Code's secret storage and is not shown to the chat.`,
    );

    const del = confirmationText(await prepare(s, 'slashid_deleteClient', { org: ROOT_ORG, clientId: ALPHA }));
    assert.equal(
      del,
      'Delete the OAuth2 client "Alpha app"?\n' +
        `SlashID deletes "Alpha app" (client ID ${ALPHA}) in Root (org ${ROOT_ORG}) and revokes its tokens, and its secret stored in VS Code is removed. This cannot be undone.`,
    );

    const mint = confirmationText(
      await prepare(s, 'slashid_mintTokens', {
        org: ROOT_ORG,
        clientId: ZULU,
        personId: PERSON,
        scopes: ['read'],
        customClaims: { team: 'blue' },
      }),
    );
    assert.equal(
      mint,
      `Mint tokens for person ${PERSON}?\n` +
        `SlashID mints tokens for person ${PERSON} with the client "zulu-service" (client ID ${ZULU}) in Root (org ${ROOT_ORG}); scopes: read; custom claims: 1 claim: team = "blue". The tokens open in a token panel; the chat sees only their decoded payloads and verdicts.`,
    );

    // A write that cannot run still asks, and says that nothing will change.
    const unknown = confirmationText(await prepare(s, 'slashid_deleteClient', { org: ROOT_ORG, clientId: 'nope' }));
    assert.match(
      unknown,
      /cannot run as given \(Root has no OAuth2 client with the ID "nope".*\)\. Continue lets the tool report it; nothing will change\.$/,
    );
    // Preparing wrote nothing.
    assert.ok(!emulator.requests.some((r) => r.method !== 'GET'), 'prepareInvocation sent a write');
  });

  it('creates a client: its secret goes to SecretStorage, never to the chat', async () => {
    const { reply, text } = await invokeInChat(s, 'slashid_createClient', {
      org: ROOT_ORG,
      name: 'billing-service',
      grantTypes: ['client_credentials'],
      scopes: ['read:invoices'],
    });
    assert.equal(reply.ok, true, text);
    const created = reply.created as { clientId: string; name: string; secretStoredInVsCode: boolean };
    assert.equal(created.name, 'billing-service');
    assert.equal(created.secretStoredInVsCode, true);
    const secret = await s.vault.getClientSecret(connection.id, created.clientId);
    assert.ok(secret, 'the secret was not stored');
    assert.ok(!text.includes(secret), 'the reply carries the client secret');
    const api = await s.orgApis.forTarget(rootTarget(connection));
    assert.ok((await api.listClients()).some((c) => c.client_id === created.clientId && c.client_name === 'billing-service'));
    const state = await s.model.load(rootTarget(connection));
    assert.ok(
      state.kind === 'loaded' && state.clients.some((c) => c.client_id === created.clientId),
      'the tree does not show the new client',
    );

    const refusedPublic = await invokeInChat(s, 'slashid_createClient', {
      org: ROOT_ORG,
      name: 'x',
      grantTypes: ['client_credentials'],
      public: true,
    });
    assert.equal(refusedPublic.reply.ok, false);
    assert.match(refusedPublic.reply.error ?? '', /cannot be public; nothing was created/);
  });

  it('rotates a secret (stored, proven, never shown) and deletes a client with its secret', async () => {
    const rotated = await invokeInChat(s, 'slashid_rotateClientSecret', { org: ROOT_ORG, clientId: ZULU });
    assert.equal(rotated.reply.ok, true, rotated.text);
    assert.equal(rotated.reply.outcome, 'rotated-and-verified');
    const secret = await s.vault.getClientSecret(connection.id, ZULU);
    assert.ok(secret);
    assert.ok(!rotated.text.includes(secret));

    const deleted = await invokeInChat(s, 'slashid_deleteClient', { org: ROOT_ORG, clientId: ZULU });
    assert.equal(deleted.reply.ok, true, deleted.text);
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), undefined, 'the stored secret was kept');
    const api = await s.orgApis.forTarget(rootTarget(connection));
    assert.ok(!(await api.listClients()).some((c) => c.client_id === ZULU), 'the client still exists');

    const again = await invokeInChat(s, 'slashid_deleteClient', { org: ROOT_ORG, clientId: ZULU });
    assert.equal(again.reply.ok, false);
    assert.match(again.reply.error ?? '', /has no OAuth2 client with the ID/);
  });

  it('mints tokens: the panel gets them, the chat only payloads and verdicts', async () => {
    const { reply, text } = await invokeInChat(s, 'slashid_mintTokens', {
      org: ROOT_ORG,
      clientId: ZULU,
      personId: PERSON,
      scopes: ['read'],
      customClaims: { team: 'blue', nested: { level: 2 } },
    });
    assert.equal(reply.ok, true, text);
    const tokens = reply.tokens as { type: string; verdict: string; payload?: string }[];
    const access = tokens.find((t) => t.type === 'Access token');
    assert.ok(access, text);
    assert.equal(access.verdict, 'valid');
    assert.match(access.payload ?? '', /"team": "blue"/);
    assert.deepEqual(reply.customClaims, ['team', 'nested']);
    assert.ok(!JWT.test(text), 'the reply carries a raw token');
    // The tab model reaches the extension host a moment after the panel opens (invoke() is not a round trip here).
    await until(() => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Minted tokens', 5_000).catch(() => undefined);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.equal(tab?.label, 'Minted tokens', 'the token panel did not open');
    // The panel offers what the minter's cards offer for this client, and its actions work.
    const viewer = s.tokenViewers.last;
    assert.ok(viewer, 'no token viewer is open');
    assert.deepEqual(
      viewer.views.map((v) => [v.title, v.actions ?? []]),
      [['Access token', ['revoke', 'introspect']]],
    );
    const introspected = await panelRequests(() => viewer)({ type: 'tokenAction', tokenId: viewer.views[0].tokenId, action: 'introspect' });
    assert.equal(introspected.kind, 'failed', 'zulu-service has no stored secret here');
    assert.match(JSON.stringify(introspected), /secret/i);
    // With the client's secret stored, the same action introspects the token: active.
    const api = await s.orgApis.forTarget(rootTarget(connection));
    await s.vault.storeClientSecret(connection.id, ZULU, (await api.rotateClientSecret(ZULU)).client_secret);
    const active = await panelRequests(() => viewer)({ type: 'tokenAction', tokenId: viewer.views[0].tokenId, action: 'introspect' });
    assert.equal(active.kind, 'tokenActionDone', JSON.stringify(active));
    assert.ok(active.kind === 'tokenActionDone');
    assert.equal(active.message, 'Introspection: the access token is active.');
    assert.match(active.replaced[0]?.introspection ?? '', /"active": true/);
  });

  it('refuses a mint for an org that is not connected, an unknown client or an unknown person, with the reason', async () => {
    const badOrg = await invokeInChat(s, 'slashid_mintTokens', { org: 'Nowhere', clientId: ZULU, personId: PERSON });
    assert.equal(badOrg.reply.ok, false);
    assert.match(badOrg.reply.error ?? '', /No connected SlashID organization has the ID or name "Nowhere"; the connected ones are Root/);
    const unknownClient = await invokeInChat(s, 'slashid_mintTokens', { org: ROOT_ORG, clientId: 'no-such-client', personId: PERSON });
    assert.equal(unknownClient.reply.ok, false);
    assert.match(unknownClient.reply.error ?? '', /^Root has no OAuth2 client with the ID "no-such-client"/);
    assert.ok(!emulator.requests.some((r) => `${r.method} ${r.path}` === MINT_ROUTE), 'a mint request was sent');
    const unknownPerson = await invokeInChat(s, 'slashid_mintTokens', {
      org: ROOT_ORG,
      clientId: ZULU,
      personId: '55555555-5555-4555-8555-555555555555',
    });
    assert.equal(unknownPerson.reply.ok, false);
    assert.match(unknownPerson.reply.error ?? '', /person/i);
    assert.ok(!JWT.test(unknownPerson.text));
  });

  it("refuses reserved claims and forbidden keys with the minter's sentences, sending nothing", async () => {
    for (const [claims, expected] of [
      [{ sub: 'someone-else' }, /"sub" is a reserved claim and cannot be a custom claim/],
      [JSON.parse('{"team": {"__proto__": {"admin": true}}}') as object, /"__proto__" is not allowed as a key, at any depth/],
    ] as const) {
      const input = { org: ROOT_ORG, clientId: ZULU, personId: PERSON, customClaims: claims };
      const { reply } = await invokeInChat(s, 'slashid_mintTokens', input);
      assert.equal(reply.ok, false);
      assert.match(reply.error ?? '', /^The custom claims were refused, so nothing was sent: /);
      assert.match(reply.error ?? '', expected);
      assert.match(confirmationText(await prepare(s, 'slashid_mintTokens', input)), /cannot run as given.*nothing will be minted/);
    }
    assert.ok(!emulator.requests.some((r) => `${r.method} ${r.path}` === MINT_ROUTE), 'a mint request was sent');
  });

  it('changes nothing when cancelled at the confirmation', async () => {
    const api = await s.orgApis.forTarget(rootTarget(connection));
    const before = (await api.listClients()).map((c) => c.client_id).sort();
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const writesBefore = writes();

    // Cancelled while VS Code asks: it throws before the tool runs.
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    await assert.rejects(async () =>
      vscode.lm.invokeTool(
        'slashid_deleteClient',
        { input: { org: ROOT_ORG, clientId: ALPHA }, toolInvocationToken: undefined },
        source.token,
      ),
    );
    // Cancelled after the confirmation, before the write: the tool says so.
    for (const [name, input] of [
      ['slashid_deleteClient', { org: ROOT_ORG, clientId: ALPHA }],
      ['slashid_rotateClientSecret', { org: ROOT_ORG, clientId: ZULU }],
      ['slashid_createClient', { org: ROOT_ORG, name: 'never', grantTypes: ['client_credentials'] }],
      ['slashid_mintTokens', { org: ROOT_ORG, clientId: ZULU, personId: PERSON }],
    ] as const) {
      const { reply } = await invokeInChat(s, name, input, source.token);
      assert.equal(reply.ok, false);
      assert.equal(reply.error, `${name} was cancelled before it changed anything.`);
    }
    assert.deepEqual((await api.listClients()).map((c) => c.client_id).sort(), before);
    assert.equal(writes(), writesBefore, 'a cancelled tool sent a write');
    assert.equal(await s.vault.getClientSecret(connection.id, ZULU), undefined);
  });
  it('asks before giving the chat persons (personal data), and reads none without that confirmation', async () => {
    const asked = confirmationText(await prepare(s, 'slashid_searchPersons', { org: ROOT_ORG, search: 'alice@example.com' }));
    assert.equal(
      asked,
      'Give the chat the persons of Root?\n' +
        `SlashID reads the persons matching "alice@example.com" of Root (org ${ROOT_ORG}) with your API key, and the chat's model gets their person IDs and handles (email addresses, phone numbers, usernames): personal data.`,
    );
    const personReads = () => emulator.requests.filter((r) => r.path.includes('/persons')).length;
    const before = personReads();
    // A call VS Code ran without showing that confirmation (none was prepared for this input): refused.
    const unconfirmed = await invokeUnprepared(s, 'slashid_searchPersons', { org: ROOT_ORG, search: PERSON });
    assert.equal(unconfirmed.reply.ok, false, unconfirmed.text);
    assert.match(
      unconfirmed.reply.error ?? '',
      /^slashid_searchPersons did not run because the organization Root is not the one the confirmation named/,
    );
    assert.equal('persons' in unconfirmed.reply, false);
    assert.equal(personReads(), before, 'persons were read without a confirmation');
    // A confirmation is good for one call.
    assert.equal((await invokeInChat(s, 'slashid_searchPersons', { org: ROOT_ORG, search: PERSON })).reply.ok, true);
    assert.equal((await invokeUnprepared(s, 'slashid_searchPersons', { org: ROOT_ORG, search: PERSON })).reply.ok, false);
  });

  it('names every custom claim of a mint, however long the others', async () => {
    // 700 characters of padding first: a cut at 600 characters would hide is_admin.
    const customClaims = { padding: 'x'.repeat(700), note: 'y'.repeat(200), is_admin: true };
    const mint = confirmationText(
      await prepare(s, 'slashid_mintTokens', { org: ROOT_ORG, clientId: ZULU, personId: PERSON, customClaims }),
    );
    assert.match(mint, /custom claims: 3 claims: padding = "x{20,}…, note = "y{20,}…, is_admin = true\./);
  });

  it('shows the redirect hosts of a create in punycode, and flags a non-ASCII one', async () => {
    // "exаmple.com" with a Cyrillic "а" (U+0430): the confirmation shows the host the browser will use.
    const lookAlike = 'https://ex\u0430mple.com/callback';
    const create = confirmationText(
      await prepare(s, 'slashid_createClient', {
        org: ROOT_ORG,
        name: 'web',
        grantTypes: ['authorization_code'],
        redirectUris: [lookAlike, 'https://example.com/callback'],
      }),
    );
    const punycode = new URL(lookAlike).hostname;
    assert.match(punycode, /^xn--/);
    assert.ok(!create.includes(lookAlike), `the confirmation shows the look-alike host as typed: ${create}`);
    assert.ok(
      create.includes(
        `redirect URIs: https://${punycode}/callback [WARNING: the host ${punycode} has non-ASCII letters (shown in punycode)] https://example.com/callback;`,
      ),
      create,
    );
  });

  it('runs a write against the org and client its confirmation named: changed in between, it is refused and nothing is written', async () => {
    const api = await s.orgApis.forTarget(rootTarget(connection));
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

    // Confirmed for "zulu-service" by name; then that name passes to Alpha's client before the call runs.
    const byName = { org: ROOT_ORG, clientId: 'zulu-service' };
    assert.match(confirmationText(await prepare(s, 'slashid_deleteClient', byName)), new RegExp(`\\(client ID ${ZULU}\\)`));
    assert.match(confirmationText(await prepare(s, 'slashid_rotateClientSecret', byName)), new RegExp(`\\(client ID ${ZULU}\\)`));
    await api.updateClient(ZULU, { client_name: 'zulu-retired' });
    await api.updateClient(ALPHA, { client_name: 'zulu-service' });
    s.model.invalidate();
    const before = writes();
    for (const name of ['slashid_deleteClient', 'slashid_rotateClientSecret']) {
      const { reply, text } = await invokeUnprepared(s, name, byName);
      assert.equal(reply.ok, false, text);
      assert.equal(
        reply.error,
        `${name} did not run because the client "zulu-service" in Root is not the one the confirmation named (it changed, or no confirmation was shown for it); nothing was sent. Ask again to see a new confirmation.`,
      );
    }
    assert.deepEqual(writes(), before, 'a write ran against a client its confirmation did not name');
    assert.deepEqual((await api.listClients()).map((c) => c.client_id).sort(), [ALPHA, ZULU].sort());

    // Confirmed again, as now: it runs, on the client the new confirmation named.
    assert.equal((await invokeInChat(s, 'slashid_deleteClient', byName)).reply.ok, true);
    assert.deepEqual(
      (await api.listClients()).map((c) => c.client_id),
      [ZULU],
    );
  });

  it('refuses a create or a mint confirmed for an org that was reconnected before it ran, writing nothing', async () => {
    const api = await s.orgApis.forTarget(rootTarget(connection));
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

    // Confirmed in the org as connected then; the org is reconnected (another connection) before the call runs.
    const create = { org: 'Root', name: 'never-created', grantTypes: ['client_credentials'] };
    const mint = { org: 'Root', clientId: ZULU, personId: PERSON };
    await prepare(s, 'slashid_createClient', create);
    await prepare(s, 'slashid_mintTokens', mint);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const reconnected = await connectViaCustomUrl(s, emulator, ROOT_ORG, ROOT_KEY, 'Root');
    assert.notEqual(reconnected.addedAt, connection.addedAt);
    const before = writes();
    const created = await invokeUnprepared(s, 'slashid_createClient', create);
    assert.equal(created.reply.ok, false, created.text);
    assert.match(
      created.reply.error ?? '',
      /^slashid_createClient did not run because the organization Root is not the one the confirmation named/,
    );
    const minted = await invokeUnprepared(s, 'slashid_mintTokens', mint);
    assert.equal(minted.reply.ok, false, minted.text);
    assert.match(minted.reply.error ?? '', /^slashid_mintTokens did not run because the client "zulu-service" in Root is not the one/);
    assert.deepEqual(writes(), before, 'a write ran in an org its confirmation did not name');
    assert.ok(!(await api.listClients()).some((c) => c.client_name === 'never-created'));
  });

  it('refuses every organization tool called outside a chat request, sending nothing; the local ones answer', async () => {
    const before = emulator.requests.length;
    for (const [name, input] of [
      ['slashid_listClients', { org: ROOT_ORG }],
      ['slashid_showClient', { org: ROOT_ORG, clientId: ALPHA }],
      ['slashid_searchPersons', { org: ROOT_ORG }],
      ['slashid_createClient', { org: ROOT_ORG, name: 'never', grantTypes: ['client_credentials'] }],
      ['slashid_rotateClientSecret', { org: ROOT_ORG, clientId: ZULU }],
      ['slashid_deleteClient', { org: ROOT_ORG, clientId: ALPHA }],
      ['slashid_mintTokens', { org: ROOT_ORG, clientId: ZULU, personId: PERSON }],
    ] as const) {
      // What VS Code asks the tool for such a call has no confirmation to show (and reads nothing for one).
      const prepared = await toolObject(s, name).prepareInvocation?.({ input }, new vscode.CancellationTokenSource().token);
      assert.equal(prepared?.confirmationMessages, undefined, `${name} asks outside a chat`);
      const { reply, text } = await invoke(name, input);
      assert.equal(reply.ok, false, text);
      assert.equal(
        reply.error,
        `${name} answers only a request made in VS Code's chat, because it reads or changes your SlashID organization with your API key; this call came from outside a chat (another extension), so nothing was sent. Ask for it in the Chat view, or use the SlashID commands.`,
      );
    }
    assert.deepEqual(
      emulator.requests.slice(before).map((r) => r.route),
      [],
      'a call from outside a chat reached the API',
    );
    assert.ok((await invoke('slashid_listOrganizations', {})).reply.ok);
  });
});
