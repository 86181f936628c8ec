/**
 * Token inspection in a real extension host: the hover (through `vscode.executeHoverProvider` on an
 * untitled document), "SlashID: Decode Token" on malformed input, and "SlashID: Retrieve OIDC Tokens"
 * for an SSO login the emulator creates.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { DecodeTokenResult } from '../../src/inspect/commands/decodeToken';
import type { OidcTokensResult } from '../../src/inspect/commands/retrieveOidcTokens';
import { parseHostMessage } from '../../src/tokenPanels/protocol';
import { getExtension } from './extension';
import type { OrgConnection } from '../../src/orgs/connections';
import { startTestEmulator } from './emulator';
import { startApiProxy } from './apiProxy';
import { connectDemoOfTestEmulator, connectViaCustomUrl, hoverText, runCommand, script } from './services';

const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24';
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';
const DAVE_OF_SUB_ORG = '9d4b1f07-6a2c-4f8e-8b35-e7c0a9d1f462';
const BILLING = '3e9a7c15-4b2d-4f81-9c06-8d1e5a7b2f93';

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('token inspection', function () {
  this.timeout(60_000);
  let services: Services;
  let emulator: Awaited<ReturnType<typeof startTestEmulator>>;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>> | undefined;
  let orgNode: unknown;
  let valid: string;

  before(async () => {
    services = (await getExtension().activate()) as Services;
    demo = await connectDemoOfTestEmulator(services);
    emulator = demo.emulator;
    const connection = demo.connection;
    const api = await services.orgApis.forTarget({ connection, orgId: connection.orgId });
    valid = (await api.mintTokens({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [], custom_claims: { team: 'blue' } }))
      .access_token;
    const tree = services.tree as unknown as vscode.TreeDataProvider<unknown>;
    orgNode = ((await tree.getChildren()) ?? [])[0];
  });

  after(async () => {
    await vscode.workspace.getConfiguration('slashid').update('hover.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await demo?.disconnect();
  });

  describe('hover', () => {
    let document: vscode.TextDocument;
    let expired: string;
    let tampered: string;
    let algNone: string;

    before(async () => {
      // An SSO token container that expired an hour ago, signed by the emulator's key.
      expired = await emulator.createSsoLogin({ org_id: emulator.demo.orgId, person_id: ALICE, provider: 'google', expires_in: -3600 });
      const [header, payload, signature] = valid.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      tampered = `${header}.${b64url({ ...claims, team: 'red' })}.${signature}`;
      algNone = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ iss: emulator.url, sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
      document = await vscode.workspace.openTextDocument({
        language: 'plaintext',
        content: [
          `token=${valid}`,
          `Authorization: Bearer ${expired}`,
          `tampered: ${tampered}`,
          `none ${algNone} end`,
          'no token here',
          'sid_rt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        ].join('\n'),
      });
    });

    it('shows a valid token decoded, with its times and the "valid" verdict', async () => {
      const text = await hoverText(document, 0, 20);
      assert.match(text, /\*\*Valid\*\*/);
      assert.match(text, /```json/);
      assert.match(text, /"team": "blue"/);
      assert.match(text, /"alg": "RS256"/);
      assert.match(text, /\*\*Expires\*\* expires in/);
      assert.ok(!text.includes(valid), 'the hover quotes the whole token');
    });

    it('shows a Bearer token that has expired as expired', async () => {
      const text = await hoverText(document, 1, 'Authorization: Bear'.length);
      assert.match(text, /Bearer JWT/);
      assert.match(text, /\*\*Expired\*\*/);
      assert.match(text, /expired 1 h/);
    });

    it('shows a tampered token as a bad signature', async () => {
      const text = await hoverText(document, 2, 30);
      assert.match(text, /\*\*Bad signature\*\*/);
      assert.match(text, /"team": "red"/);
    });

    it('shows an alg:none token as unsigned', async () => {
      const text = await hoverText(document, 3, 10);
      assert.match(text, /Unsigned \(alg: none\)/);
    });

    it('describes an opaque SlashID token without decoding it', async () => {
      const text = await hoverText(document, 5, 10);
      assert.match(text, /SlashID refresh token/);
      assert.match(text, /opaque/i);
    });

    it('shows nothing where there is no token', async () => {
      assert.doesNotMatch(await hoverText(document, 4, 3), /SlashID|JWT/);
    });

    it('can be turned off with slashid.hover.enabled', async () => {
      await vscode.workspace.getConfiguration('slashid').update('hover.enabled', false, vscode.ConfigurationTarget.Workspace);
      try {
        assert.doesNotMatch(await hoverText(document, 0, 20), /Valid/);
      } finally {
        await vscode.workspace.getConfiguration('slashid').update('hover.enabled', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });

    it('answers within the time limit on a very long line (which it skips)', async () => {
      const long = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `${'x'.repeat(25_000)} ${valid}` });
      const started = Date.now();
      assert.doesNotMatch(await hoverText(long, 0, 25_010), /Valid/);
      assert.ok(Date.now() - started < 2_000);
    });
  });

  describe('Decode Token', () => {
    it('opens a valid token in the decoded view with its verdict', async () => {
      const result = await runCommand<DecodeTokenResult>('slashid.tokens.decode', `Bearer ${valid}`);
      assert.ok(result?.viewer, 'no viewer opened');
      assert.equal(result.view.verdict.status, 'valid');
      assert.match(result.view.payload ?? '', /"team": "blue"/);
      assert.ok(parseHostMessage({ type: 'showTokens', title: 'Decoded', tokens: [result.view] }).ok, 'the viewer would drop this view');
      const revealed = await result.viewer.dispatch({ type: 'reveal', requestId: 1, tokenId: result.view.tokenId });
      assert.equal(revealed?.type === 'reply' && revealed.reply.kind === 'revealed' ? revealed.reply.token : undefined, valid);
    });

    it('shows a payload nested 5,000 levels deep, saying what was cut (issue 10, item 10)', async () => {
      // 5,000 nested arrays: a 13 KB token, short enough for the hover's 20,000-character lines.
      const deep = `${'['.repeat(5_000)}1${']'.repeat(5_000)}`;
      const token = `${b64url({ alg: 'RS256', kid: 'k' })}.${Buffer.from(`{"sub":"p","deep":${deep}}`).toString('base64url')}.c2ln`;
      const result = await runCommand<DecodeTokenResult>('slashid.tokens.decode', token);
      assert.ok(result, 'the command failed');
      assert.equal(result.view.kind, 'jwt', result.view.verdict.message);
      assert.match(result.view.note ?? '', /Nesting deeper than 32 levels is not shown/);
      assert.match(result.view.payload ?? '', /"sub": "p"/);
      assert.ok(parseHostMessage({ type: 'showTokens', title: 'Decoded', tokens: [result.view] }).ok, 'the viewer would drop this view');
      const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `deep ${token}` });
      const hover = await hoverText(document, 0, 10);
      assert.match(hover, /Nesting deeper than 32 levels/);
      assert.doesNotMatch(hover, /Unexpected error/);
    });

    it('says when a valid token belongs to another organization than the connected one (issue 10, item 13)', async () => {
      const connection = services.connections.get(demo!.connection.id)!;
      const subOrg = await services.orgApis.forTarget({ connection, orgId: emulator.demo.subOrgId });
      const clientOfSubOrg = (await subOrg.listClients())[0];
      const token = (await subOrg.mintTokens({ person_id: DAVE_OF_SUB_ORG, client_id: clientOfSubOrg.client_id, scopes: [] })).access_token;
      const result = await runCommand<DecodeTokenResult>('slashid.tokens.decode', token);
      assert.ok(result, 'the command failed');
      assert.equal(result.view.verdict.status, 'valid', result.view.verdict.message);
      assert.match(
        result.view.verdict.message,
        new RegExp(`belongs to another organization: its "oid" is "${emulator.demo.subOrgId}", not "${connection.orgId}"`),
      );
      const own = await runCommand<DecodeTokenResult>('slashid.tokens.decode', valid);
      assert.doesNotMatch(own?.view.verdict.message ?? '', /another organization/);
    });

    const MALFORMED: [string, string, RegExp][] = [
      ['bad base64url', 'eyJhbGciOiJSUzI1NiJ9.e*30.c2ln', /not valid base64url/],
      ['bad JSON', `${Buffer.from('{not json').toString('base64url')}.e30.c2ln`, /header decodes to text that is not JSON/],
      ['three parts that are not a JWT', 'a.b.c', /not JSON|not valid base64url/],
      ['two parts', 'eyJhbGciOiJub25lIn0.e30', /3 parts/],
      ['a huge input', `eyJ${'A'.repeat(70 * 1024)}.e30.c2ln`, /64 KB/],
    ];
    for (const [name, input, message] of MALFORMED) {
      it(`explains a malformed token (${name}) without throwing`, async () => {
        const result = await runCommand<DecodeTokenResult>('slashid.tokens.decode', input);
        assert.ok(result, 'the command failed');
        assert.equal(result.view.kind, 'malformed');
        assert.equal(result.viewer, undefined);
        assert.match(result.view.verdict.message, message);
      });
    }
  });

  describe('Retrieve OIDC Tokens', () => {
    it('shows the provider tokens of an SSO login created by the emulator', async () => {
      const container = await emulator.createSsoLogin({ org_id: emulator.demo.orgId, person_id: ALICE, provider: 'google' });
      const result = await runCommand<OidcTokensResult>('slashid.oidc.retrieve', container, orgNode);
      assert.ok(result, 'the command failed');
      assert.deepEqual(result.tokens.map((t) => t.token_type).sort(), ['access', 'id', 'refresh']);
      assert.ok(result.tokens.every((t) => t.provider === 'google' && t.person_id === ALICE));
      const [containerView, ...views] = result.views;
      assert.equal(containerView.title, 'SlashID token container');
      // Signed by the org's key, but an SSO token container is never called a valid access token (issue 10 item 5).
      assert.equal(containerView.verdict.status, 'sso-container', containerView.verdict.message);
      assert.match(containerView.verdict.message, /SSO token container.*not an access token/);
      const id = views.find((v) => v.title === 'Google ID token');
      assert.ok(id, views.map((v) => v.title).join(', '));
      assert.equal(id.kind, 'jwt');
      assert.match(id.payload ?? '', /"email": "alice@example.com"/);
      for (const label of ['Provider', 'Type', 'Expiry', 'Client ID', 'Authentication ID']) {
        assert.ok(
          id.facts.some((f) => f.label === label),
          `no ${label}`,
        );
      }
      const access = views.find((v) => v.title === 'Google access token');
      assert.equal(access?.kind, 'opaque');
      assert.ok(parseHostMessage({ type: 'showTokens', title: 'OIDC', tokens: result.views }).ok, 'the viewer would drop these views');
    });

    async function oidcError(container: string): Promise<string> {
      const connection = services.connections.get(demo!.connection.id)!;
      const api = await services.orgApis.forTarget({ connection, orgId: connection.orgId });
      try {
        await api.getOidcTokens(container);
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
      assert.fail('getOidcTokens succeeded');
    }

    it('explains 400 (not a token container)', async () => {
      assert.match(await oidcError('not-a-jwt'), /rejected the token container \(400.*\)\. Paste the whole SlashID-Token/);
    });

    it('explains 401 (an expired container)', async () => {
      const expired = await emulator.createSsoLogin({ org_id: emulator.demo.orgId, person_id: ALICE, provider: 'github', expires_in: -60 });
      assert.match(await oidcError(expired), /container was rejected \(401.*expired.*sign in with SSO again/);
    });

    it("explains 403 (another organization's container)", async () => {
      const other = await emulator.createSsoLogin({ org_id: emulator.demo.subOrgId, person_id: DAVE_OF_SUB_ORG, provider: 'okta' });
      assert.match(await oidcError(other), /access denied \(403.*\)\. The person, client or SSO login must belong to the organization/);
    });

    it('explains 404 (no login behind the container)', async () => {
      const container = await emulator.createSsoLogin({ org_id: emulator.demo.orgId, person_id: ALICE, provider: 'gitlab' });
      emulator.faults.set('GET /sso/oidc/tokens', { status: 404, times: 1 });
      assert.match(await oidcError(container), /no OIDC tokens were found for this SSO login \(404/);
    });

    it('reports a failure through the command without throwing', async () => {
      assert.equal(await runCommand('slashid.oidc.retrieve', 'not-a-jwt', orgNode), undefined);
    });
  });
});

/**
 * Issue 19, L3: Introspect Token sends the token to the organization the person picks, never to every connected
 * one. A second organization, connected first under a Custom URL, is a loopback server in front of a second
 * emulator that records every request: it receives nothing of the token (before, each stored secret was tried in
 * turn, this organization's first).
 */
describe('Introspect Token with two organizations', function () {
  this.timeout(60_000);
  let services: Services;
  let other: Awaited<ReturnType<typeof startTestEmulator>>;
  let proxy: Awaited<ReturnType<typeof startApiProxy>>;
  let otherConnection: OrgConnection;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>>;
  const recorded: { method: string; path: string; body: string; headers: string }[] = [];
  let opaque: string;
  let introspectorName: string;

  before(async () => {
    services = (await getExtension().activate()) as Services;
    demo = await connectDemoOfTestEmulator(services);
    other = await startTestEmulator();
    proxy = await startApiProxy(other.url, {
      answer: (method, path, request) => {
        recorded.push({ method, path, body: request.body, headers: JSON.stringify(request.headers) });
        return undefined;
      },
    });
    otherConnection = await connectViaCustomUrl(services, proxy, other.demo.orgId, other.demo.apiKey, 'Recording org');
    // A stored secret for a client of the recording org, and that org first in the list: the old command tried it first.
    await services.vault.storeClientSecret(otherConnection.id, BILLING, 'a-secret-of-the-recording-org');
    await services.connections.add(services.connections.get(demo.connection.id)!);
    assert.deepEqual(
      services.connections.all().map((c) => c.name),
      ['Recording org', demo.connection.name],
    );
    const api = await services.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    introspectorName = 'Introspector';
    const created = await api.createClient({ client_name: introspectorName, grant_types: ['client_credentials'], scopes: [] });
    assert.ok(created.client_secret);
    await services.vault.storeClientSecret(demo.connection.id, created.client_id, created.client_secret);
    opaque = (await api.getClientCredentialsToken(created.client_id, created.client_secret)).access_token;
    assert.match(opaque, /^sid_at_/);
    services.model.invalidate();
  });

  after(async () => {
    await demo?.disconnect();
    if (otherConnection) {
      await services.vault.forgetConnection(otherConnection.id);
      await services.connections.remove(otherConnection.id);
      services.model.invalidate();
    }
    await proxy?.close();
    await other?.close();
  });

  /** Runs Introspect Token on `token` written in a document, and records the labels of every quick pick it shows. */
  async function introspect(token: string, answers: { pick: string }[]) {
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: `Authorization: Bearer ${token}` });
    const ui = script(services, answers);
    const offered: string[][] = [];
    const pick = ui.pick.bind(ui);
    ui.pick = (items, options) => {
      offered.push(items.map((i) => i.label));
      return pick(items, options);
    };
    recorded.length = 0;
    const result = await runCommand<{ active: boolean; clientId: string } | undefined>(
      'slashid.tokens.introspect',
      document.uri.toString(),
      0,
      'Authorization: Bearer '.length + 10,
    );
    return { result, ui, offered };
  }

  it('asks which organization and client, and sends the token only there', async () => {
    const { result, ui, offered } = await introspect(opaque, [{ pick: demo.connection.name }, { pick: introspectorName }]);
    assert.ok(result, `no result; asked: ${ui.asked.join(' | ')}; said: ${ui.texts().join(' | ')}`);
    ui.assertDone();
    assert.equal(result.active, true);
    assert.deepEqual([...offered[0]].sort(), [demo.connection.name, 'Recording org'].sort(), 'both organizations are offered');
    assert.equal(offered[1]?.[0], introspectorName, 'the client with a stored secret is offered first');
    assert.deepEqual(
      recorded.filter((r) => r.body.includes(opaque) || r.headers.includes(opaque) || r.path.includes('introspect')),
      [],
      'the other organization received the token',
    );
  });

  it('offers first the organization whose issuer signed a JWT', async () => {
    const api = await services.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    const jwt = (await api.mintTokens({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [] })).access_token;
    const { offered } = await introspect(jwt, []);
    assert.equal(offered[0]?.[0], demo.connection.name);
    assert.equal(recorded.filter((r) => r.body.includes(jwt) || r.headers.includes(jwt)).length, 0);
  });

  it('says what to do when the chosen client has no stored secret, and sends nothing', async () => {
    const { result, ui } = await introspect(opaque, [{ pick: demo.connection.name }, { pick: 'Partner Portal' }]);
    assert.equal(result, undefined);
    assert.match(ui.texts('error').join('\n'), /"Partner Portal" has no stored client secret, and introspection needs one; store it with/);
  });
});
