/**
 * Text from a server is shown inert: a client named like a command link and an icon, a name holding line breaks
 * and other control characters, an API error message and an OAuth `error_description` holding a command link, and
 * a token claim holding one, reach the tree, its tooltips, quick picks, notifications and the token hover without
 * becoming a link that runs a command, an icon or a new line. A client nested thousands of levels deep still shows.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/index';
import type { Services } from '../../src/services';
import type { ClientNode } from '../../src/clients/treeNodes';
import type { OrgConnection } from '../../src/orgs/connections';
import type { OAuth2Client } from '../../src/slashid/schemas';
import { renameClients, startApiProxy } from './apiProxy';
import { captureLog, children, connectViaCustomUrl, labelOf, resetState, runCommand, script, services } from './services';

const ORG = '5e5e5e5e-0000-4000-8000-000000000001';
const KEY = 'untrusted-text-key-1c2d3e4f5a6b7c8d';
const EVIL_CLIENT = '5e5e5e5e-0000-4000-8000-0000000000c1';
const EVIL_NAME = '[Run](command:workbench.action.quit) $(alert)';
const EVIL_MESSAGE = 'Denied. [Open settings](command:workbench.action.quit) $(alert)';
const LONG_CLIENT = '5e5e5e5e-0000-4000-8000-0000000000c2';
const LONG_NAME = `long-${'x'.repeat(600)}`;
/** A name with line breaks, a tab, a bell, an escape sequence, C1 and Unicode line separators and a bidi override. */
const CONTROL_CLIENT = '5e5e5e5e-0000-4000-8000-0000000000c3';
const CONTROL_NAME = 'ctl\nline two\r\nthree\rfour\tfive\u0007six\u001b[31mseven\u0085eight\u2028nine\u202eten';
/** The same name as shown: each run of control characters one space. */
const CONTROL_SHOWN = 'ctl line two three four five six [31mseven eight nine ten';
/** What none of the shown text may hold: control characters (newlines included), line separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** A client whose details the API answers with an unknown field nested this many levels deep. */
const DEEP_CLIENT = '5e5e5e5e-0000-4000-8000-0000000000c4';
/** A client whose details and token introspection echo its secret, its token and a JWT (see the proxy). */
const ECHO_CLIENT = '5e5e5e5e-0000-4000-8000-0000000000c5';
const ECHO_SECRET = 'echo-client-secret-5f6a7b8c9d0e';
const ECHO_TOKEN = `sid_at_${'e'.repeat(43)}`;
const ECHO_JWT = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"echo"}').toString('base64url')}.c2lnbmF0dXJl`;
const DEEP_LEVELS = 10_000;
/** The secret stored for the evil client; the hostile token endpoint echoes it back in its error_description. */
const EVIL_SECRET = 'untrusted-text-secret-9a8b7c6d5e4f';
const EVIL_DESCRIPTION = `Client [authentication failed](command:workbench.action.quit) $(alert)\nfor secret ${EVIL_SECRET}`;
/** A token claim (and issuer) holding a command link, an icon, and a carriage return before a heading. */
const EVIL_CLAIM = '[click](command:workbench.action.quit) $(alert)';
const EVIL_ISSUER = `${EVIL_CLAIM}\r## Valid\u2028token`;

/** A command link that would render in a notification, a tooltip or a hover: `[label](command:…)`. */
const COMMAND_LINK = /\]\(\s*command:/;
/** `$(name)` not preceded by a backslash: rendered as an icon in labels and Markdown with theme icons. */
const ICON = /(^|[^\\])\$\(/;

/** `markdown` split into the text outside fenced code blocks and the text inside them. */
function proseAndCode(markdown: string): { prose: string; code: string } {
  const prose: string[] = [];
  const code: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opening = /^ {0,3}(`{3,})/.exec(line)?.[1];
    if (fence === undefined && opening) fence = opening;
    else if (fence !== undefined && line.trim() === fence) fence = undefined;
    else (fence === undefined ? prose : code).push(line);
  }
  return { prose: prose.join('\n'), code: code.join('\n') };
}

describe('untrusted text is shown inert', function () {
  this.timeout(60_000);
  let s: Services;
  let emulator: Emulator;
  let proxy: Awaited<ReturnType<typeof startApiProxy>>;
  let connection: OrgConnection;
  let evil: ClientNode;
  let long: ClientNode;
  let control: ClientNode;
  let deep: ClientNode;

  before(async () => {
    s = await services();
    await resetState(s);
    emulator = await startEmulator({
      port: 0,
      demo: false,
      seed: {
        orgs: [{ id: ORG, api_key: KEY, name: 'Evil' }],
        persons: [],
        clients: [
          { client_id: EVIL_CLIENT, client_name: EVIL_NAME, org_id: ORG, grant_types: ['client_credentials'], scopes: ['read'] },
          { client_id: LONG_CLIENT, client_name: 'long', org_id: ORG, grant_types: ['client_credentials'], scopes: [] },
          { client_id: CONTROL_CLIENT, client_name: 'control', org_id: ORG, grant_types: ['client_credentials'], scopes: [] },
          { client_id: DEEP_CLIENT, client_name: 'deep', org_id: ORG, grant_types: ['client_credentials'], scopes: [] },
          { client_id: ECHO_CLIENT, client_name: 'echo', org_id: ORG, grant_types: ['client_credentials'], scopes: [] },
        ],
      },
    });
    // The proxy answers GET /oauth2/clients/:id with a 400 whose message holds a command link (the deep client: with
    // the client and an unknown field nested DEEP_LEVELS levels deep), the token endpoint with an invalid_client whose
    // description holds one, and gives clients names the emulator's seed does not allow (too long, control characters).
    // The deep client also gets a token whose introspection, and a hosted-UI configuration, nest as deep.
    const nested = `${'{"x":'.repeat(DEEP_LEVELS)}1${'}'.repeat(DEEP_LEVELS)}`;
    const byDeepClient = (headers: { authorization?: string }) =>
      Buffer.from((headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
        .toString('utf8')
        .startsWith(`${DEEP_CLIENT}:`);
    proxy = await startApiProxy(emulator.url, {
      answer: (method, path, request) => {
        if (method === 'GET' && path === `/oauth2/clients/${DEEP_CLIENT}`) {
          return { status: 200, text: `{"result":${JSON.stringify(deep.client).slice(0, -1)},"x_extension":${nested}}}` };
        }
        if (method === 'GET' && path === `/oauth2/clients/${DEEP_CLIENT}/ui-configuration`) {
          return { status: 200, text: `{"result":{"pageTitle":"deep","x_extension":${nested}}}` };
        }
        if (method === 'POST' && path === '/oauth2/tokens' && byDeepClient(request.headers)) {
          return { status: 200, body: { access_token: `sid_at_${'d'.repeat(43)}`, token_type: 'bearer', expires_in: 3600, scope: '' } };
        }
        if (method === 'POST' && path === '/oauth2/tokens/introspect' && byDeepClient(request.headers)) {
          return { status: 200, text: `{"active":true,"client_id":"${DEEP_CLIENT}","exp":4102444800,"x_extension":${nested}}` };
        }
        const byEcho = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
          .toString('utf8')
          .startsWith(`${ECHO_CLIENT}:`);
        if (method === 'GET' && path === `/oauth2/clients/${ECHO_CLIENT}`) {
          const client = { client_id: ECHO_CLIENT, client_name: 'echo', grant_types: ['client_credentials'], scopes: [], public: false };
          return { status: 200, body: { result: { ...client, client_secret: ECHO_SECRET, x_debug: ECHO_JWT } } };
        }
        if (method === 'POST' && path === '/oauth2/tokens' && byEcho) {
          return { status: 200, body: { access_token: ECHO_TOKEN, token_type: 'bearer', expires_in: 3600, scope: '' } };
        }
        if (method === 'POST' && path === '/oauth2/tokens/introspect' && byEcho) {
          const echoed = { token: ECHO_TOKEN, client_secret: ECHO_SECRET, id_token: ECHO_JWT };
          return {
            status: 200,
            body: { active: true, client_id: ECHO_CLIENT, exp: 4102444800, x_echo: `${ECHO_SECRET} ${ECHO_TOKEN}`, ...echoed },
          };
        }
        if (method === 'GET' && /^\/oauth2\/clients\/[^/]+$/.test(path)) {
          return { status: 400, body: { errors: [{ httpcode: 400, message: EVIL_MESSAGE }] } };
        }
        if (method === 'POST' && path === '/oauth2/tokens') {
          return { status: 401, body: { error: 'invalid_client', error_description: EVIL_DESCRIPTION } };
        }
        return undefined;
      },
      rewrite: renameClients({ [LONG_CLIENT]: LONG_NAME, [CONTROL_CLIENT]: CONTROL_NAME }),
    });
    connection = await connectViaCustomUrl(s, proxy, ORG, KEY, 'Evil org');
    const [org] = await children(s);
    const clients = (await children(s, org)).filter((n): n is ClientNode => n.kind === 'client');
    const byId = (id: string) => clients.find((n) => n.client.client_id === id)!;
    [evil, long, control, deep] = [byId(EVIL_CLIENT), byId(LONG_CLIENT), byId(CONTROL_CLIENT), byId(DEEP_CLIENT)];
    assert.ok(evil && long && control && deep, 'the seeded clients are not in the tree');
  });

  after(async () => {
    await resetState(s);
    await proxy?.close();
    await emulator?.close();
  });

  it("a client's name is no link in the tree label, and neither a link nor an icon in its tooltip", () => {
    assert.doesNotMatch(labelOf(evil), COMMAND_LINK);
    const item = s.tree.resolveTreeItem(evil.getTreeItem(), evil);
    const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip);
    assert.match(tooltip, /Run/);
    assert.doesNotMatch(tooltip, COMMAND_LINK);
    const nameLine = tooltip.split('\n')[0];
    assert.doesNotMatch(nameLine, ICON, `the name's $( renders as an icon: ${nameLine}`);
  });

  it('a long name is shortened for display, in the tree and in quick picks', async () => {
    const label = labelOf(long);
    assert.ok(label.length <= 500 && label.endsWith('…'), `tree label of ${label.length} characters`);
    const ui = script(s, [{ pick: `long-${'x'.repeat(494)}…` }]);
    await runCommand('slashid.clients.copyId');
    ui.assertDone();
    assert.equal(await vscode.env.clipboard.readText(), LONG_CLIENT);
  });

  it('quick-pick labels show the name with `$(` escaped: no icon, no link', async () => {
    const shown = '[Run] (command:workbench.action.quit) \\$(alert)';
    const ui = script(s, [{ pick: shown }]);
    await runCommand('slashid.clients.copyId');
    ui.assertDone();
    assert.equal(await vscode.env.clipboard.readText(), EVIL_CLIENT);
  });

  it('an API error message with a command link reaches the notification as inert text', async () => {
    const ui = script(s, []);
    await runCommand('slashid.clients.show', evil);
    const errors = ui.texts('error');
    assert.equal(errors.length, 1, `messages: ${ui.texts().join(' | ')}`);
    assert.match(errors[0], /Denied/);
    assert.doesNotMatch(errors[0], COMMAND_LINK);
    assert.doesNotMatch(errors[0], /\[Run\]\(|\]\(command/);
  });

  it('a name with line breaks and control characters: none reach the tree label, its tooltip or a quick-pick label', async () => {
    const label = labelOf(control);
    assert.equal(label, CONTROL_SHOWN);
    assert.doesNotMatch(control.getTreeItem().accessibilityInformation?.label ?? '', CONTROL_CHARACTER);
    const tooltipOf = (node: ClientNode) => {
      const item = s.tree.resolveTreeItem(node.getTreeItem(), node);
      return item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip);
    };
    const tooltip = tooltipOf(control);
    // The name is the tooltip's first line, whole: its line breaks started no new ones (as many lines as another
    // client's tooltip has), and no line holds a control character.
    const lines = tooltip.split('\n');
    assert.match(lines[0], /^\*\*ctl line two three four five six .*seven eight nine ten\*\*$/);
    assert.equal(lines.length, tooltipOf(long).split('\n').length, tooltip);
    for (const line of lines) assert.doesNotMatch(line, CONTROL_CHARACTER, JSON.stringify(line));
    // The scripted pick finds the item by its exact label: the name with each run of control characters one space.
    const ui = script(s, [{ pick: CONTROL_SHOWN }]);
    await runCommand('slashid.clients.copyId');
    ui.assertDone();
    assert.equal(await vscode.env.clipboard.readText(), CONTROL_CLIENT);
  });

  it("an OAuth error_description with a command link reaches the notification inert, without the client's secret", async () => {
    await s.vault.storeClientSecret(connection.id, EVIL_CLIENT, EVIL_SECRET);
    const ui = script(s, [{ pickMany: ['read'] }]);
    assert.equal(await runCommand('slashid.clients.getToken', evil), undefined);
    ui.assertDone();
    const errors = ui.texts('error');
    assert.equal(errors.length, 1, `messages: ${ui.texts().join(' | ')}`);
    assert.match(errors[0], /rejected the client credentials \(401 invalid_client: Client \[authentication failed\] \(command:/);
    assert.doesNotMatch(errors[0], COMMAND_LINK);
    assert.doesNotMatch(errors[0], CONTROL_CHARACTER);
    assert.ok(!ui.texts().some((t) => t.includes(EVIL_SECRET)), 'the client secret reached a message');
    assert.match(errors[0], /for secret <redacted>/);
  });

  it('a token claim with a command link and an icon is inert in the token hover', async () => {
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const claims = { iss: EVIL_ISSUER, sub: 'p', note: EVIL_CLAIM, exp: Math.floor(Date.now() / 1000) + 600 };
    // An RS256-sized signature, so that the hover judges the issuer rather than calling the token cut.
    const token = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${Buffer.alloc(256, 7).toString('base64url')}`;
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `token=${token}` });
    const hovers =
      (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 10))) ?? [];
    const contents = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c);
    const tokenHovers = contents.filter((c) => c.value.includes('**Not verified**'));
    assert.equal(tokenHovers.length, 1, `hovers: ${contents.map((c) => c.value).join('\n---\n')}`);
    const [markdown] = tokenHovers;
    assert.ok(!markdown.isTrusted, 'the token hover is trusted: a command link in it would run');
    assert.ok(!markdown.supportHtml, 'the token hover renders HTML');
    const { prose, code } = proseAndCode(markdown.value);
    // The issuer in the verdict: brackets and `$` escaped, the carriage return and line separator gone (no heading).
    assert.ok(prose.includes('\\[click\\](command:workbench.action.quit) \\$(alert) ## Valid token'), prose);
    assert.doesNotMatch(prose, /(^|[^\\])\[click/, 'an unescaped [ in the hover text');
    assert.doesNotMatch(prose, /(^|[^\\])\$\(alert\)/, 'an unescaped $(alert) in the hover text');
    for (const line of prose.split('\n')) {
      assert.doesNotMatch(line, CONTROL_CHARACTER, JSON.stringify(line));
      assert.doesNotMatch(line, /^ {0,3}#/, `a heading in the hover: ${line}`);
    }
    // The claim itself is shown in the payload's code block, where nothing is a link.
    assert.ok(code.includes(`"note": ${JSON.stringify(EVIL_CLAIM)}`), code);
  });

  it('shows a client nested 10,000 levels deep in Client Details, saying what was cut (issue 10, item 10)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const log = captureLog(s);
    try {
      const ui = script(s, []);
      const shown = await runCommand<OAuth2Client>('slashid.clients.show', deep);
      assert.deepEqual(ui.texts(), []);
      assert.equal(shown?.client_id, DEEP_CLIENT);
      const document = vscode.window.activeTextEditor?.document;
      assert.equal(document?.uri.scheme, 'slashid-readonly');
      assert.equal(document.uri.path, `/deep (${DEEP_CLIENT}).json`);
      const [note, ...json] = document.getText().split('\n');
      assert.equal(note, '// Nesting deeper than 32 levels is not shown: 1 object or array appears as "{…}" or "[…]".');
      const details = JSON.parse(json.join('\n')) as Record<string, unknown>;
      assert.equal(details.client_id, DEEP_CLIENT);
      assert.deepEqual(details.grant_types, ['client_credentials']);
      // The unknown field is shown down to level 32 of the document, then cut.
      let level: unknown = details.x_extension;
      let depth = 2;
      for (; typeof level === 'object' && level !== null; depth++) level = (level as { x: unknown }).x;
      assert.equal(level, '{…}');
      assert.equal(depth, 33);
      assert.deepEqual(
        log.lines.filter((line) => line.startsWith('[error]')),
        [],
      );
    } finally {
      log.stop();
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });
  it('shows a client-credentials token whose introspection nests 10,000 levels deep, saying what was cut', async () => {
    await s.vault.storeClientSecret(connection.id, DEEP_CLIENT, 'deep-client-secret-0000');
    const ui = script(s, []);
    const log = captureLog(s);
    try {
      await runCommand('slashid.clients.getToken', deep);
      assert.deepEqual(ui.texts('error'), []);
      assert.match(ui.texts('info').join('\n'), /Got a bearer token for "deep" .*introspection: active/);
      const document = vscode.window.activeTextEditor?.document;
      assert.equal(document?.uri.scheme, 'slashid-readonly');
      const [note, ...json] = document.getText().split('\n');
      assert.match(note, /^\/\/ Nesting deeper than 32 levels is not shown: 1 object or array appears as/);
      const shown = JSON.parse(json.join('\n')) as { introspection: { active: boolean; x_extension: unknown } };
      assert.equal(shown.introspection.active, true);
      assert.ok(!document.getText().includes('d'.repeat(43)), 'the access token is shown whole');
      assert.deepEqual(
        log.lines.filter((line) => line.startsWith('[error]')),
        [],
      );
    } finally {
      log.stop();
    }
  });

  it('read-only documents hold no secret a server echoes back: client secret, token, JWT (issue 19, M1)', async () => {
    const [org] = await children(s);
    const echo = (await children(s, org)).find((n): n is ClientNode => n.kind === 'client' && n.client.client_id === ECHO_CLIENT);
    assert.ok(echo);
    await s.vault.storeClientSecret(connection.id, ECHO_CLIENT, ECHO_SECRET);
    const ui = script(s, []);
    await runCommand('slashid.clients.show', echo);
    const details = vscode.window.activeTextEditor?.document;
    assert.equal(details?.uri.path, `/echo (${ECHO_CLIENT}).json`);
    await runCommand('slashid.clients.getToken', echo);
    assert.deepEqual(ui.texts('error'), []);
    const token = vscode.window.activeTextEditor?.document;
    assert.equal(token?.uri.path, '/echo token.json');
    assert.match(token.getText(), /"active": true/);
    // Every read-only document open, as any extension sees them.
    const texts = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'slashid-readonly').map((d) => d.getText());
    assert.ok(texts.length >= 2);
    for (const secret of [ECHO_SECRET, ECHO_TOKEN, ECHO_JWT, ECHO_TOKEN.slice(7)]) {
      assert.deepEqual(
        texts.filter((t) => t.includes(secret)),
        [],
        `a read-only document shows ${secret.slice(0, 12)}…`,
      );
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('refuses to open a hosted-UI configuration nested 10,000 levels deep for editing, saying why', async () => {
    const ui = script(s, []);
    await runCommand('slashid.clients.editHostedUi', deep);
    const errors = ui.texts('error');
    assert.equal(errors.length, 1, `messages: ${ui.texts().join(' | ')}`);
    assert.match(errors[0], /nested more than 64 levels deep, so it cannot be edited here without losing what lies deeper/);
    assert.doesNotMatch(errors[0], /Unexpected|Maximum call stack/);
  });
});
