/**
 * Token inspection while debugging, in a real extension host: the hover in every language and in an
 * output channel (from the startup trigger, the SlashID view never opened), wrapped and truncated JWTs,
 * "Decode Token" on the variables of a Node program paused by the built-in JavaScript debugger, and
 * token links in a terminal.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Services } from '../../src/services';
import type { OpenTokenViewer } from '../../src/tokenPanels/tokenViewers';
import { TerminalTokenLinkProvider } from '../../src/inspect/terminalTokenLinks';
import { maskToken } from '../../src/tokens/mask';
import { getExtension } from './extension';
import { connectDemoOfTestEmulator, hoverText, script, until } from './services';

const PARTNER_PORTAL = '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24';
const ALICE = '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31';
const OPAQUE_AT = `sid_at_${'Qw3_rT-9'.repeat(5)}xyz`;

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests run without a workspace folder');
  return folder.uri.fsPath;
}

async function writeFile(name: string, content: string): Promise<vscode.Uri> {
  const file = path.join(workspaceDir(), 'inspect-debug', name);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, content);
  return vscode.Uri.file(file);
}

/** Runs a command and gives back the token viewer it opened (commands return nothing to callers). */
async function viewerOpenedBy(s: Services, run: () => Thenable<unknown>): Promise<OpenTokenViewer | undefined> {
  const before = s.tokenViewers.last;
  await run();
  const after = s.tokenViewers.last;
  return after === before ? undefined : after;
}

describe('inspection while debugging', function () {
  this.timeout(120_000);
  let services: Services;
  let demo: Awaited<ReturnType<typeof connectDemoOfTestEmulator>>;
  let jwt: string;
  let longJwt: string;
  let activeBeforeAnyCall: boolean;

  before(async () => {
    // Nothing of the suite has touched the extension yet: onStartupFinished must have woken it.
    await until(() => getExtension().isActive, 20_000).catch(() => undefined);
    activeBeforeAnyCall = getExtension().isActive;
    services = (await getExtension().activate()) as Services;
    demo = await connectDemoOfTestEmulator(services);
    const api = await services.orgApis.forTarget({ connection: demo.connection, orgId: demo.connection.orgId });
    jwt = (await api.mintTokens({ person_id: ALICE, client_id: PARTNER_PORTAL, scopes: [], custom_claims: { team: 'blue' } })).access_token;
    longJwt = (
      await api.mintTokens({
        person_id: ALICE,
        client_id: PARTNER_PORTAL,
        scopes: [],
        custom_claims: { team: 'long', blob: 'x'.repeat(3_200) },
      })
    ).access_token;
    assert.ok(longJwt.length >= 5_000, `the long token is ${longJwt.length} characters`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await demo?.disconnect();
  });

  describe('hover everywhere', () => {
    it('was activated by the startup trigger, before anything opened the SlashID view', () => {
      assert.equal(activeBeforeAnyCall, true);
    });

    const FILES: [string, (token: string) => string, number, string][] = [
      ['auth.ts', (t) => `const header = { Authorization: \`Bearer ${t}\` };\n`, 0, 'const header = { Authorization: `Bearer eyJ'],
      ['auth.py', (t) => `TOKEN = "${t}"\n`, 0, 'TOKEN = "eyJ'],
      ['values.yaml', (t) => `auth:\n  token: ${t}\n`, 1, '  token: eyJ'],
      ['NOTES.md', (t) => `# Notes\n\nThe token \`${t}\` is Alice's.\n`, 2, 'The token `eyJ'],
    ];
    for (const [name, content, line, before] of FILES) {
      it(`shows the decoded token in ${path.extname(name)} files`, async () => {
        const document = await vscode.workspace.openTextDocument(await writeFile(name, content(jwt)));
        const text = await hoverText(document, line, before.length + 5);
        assert.match(text, /\*\*Valid\*\*/, `${document.languageId}: ${text.slice(0, 200)}`);
        assert.match(text, /"team": "blue"/);
      });
    }

    it('shows the decoded token in an output channel', async () => {
      const channel = vscode.window.createOutputChannel('Token service log');
      try {
        channel.appendLine(`12:00:01 INFO issued access_token=${jwt} for alice`);
        channel.show(true);
        let document: vscode.TextDocument | undefined;
        await until(() => {
          document = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes('issued access_token='));
          return document !== undefined;
        });
        const text = await hoverText(document!, 0, '12:00:01 INFO issued access_token='.length + 10);
        assert.match(text, /\*\*Valid\*\*/);
      } finally {
        channel.dispose();
      }
    });

    it("shows the decoded token in another extension's virtual document (any scheme)", async () => {
      const registration = vscode.workspace.registerTextDocumentContentProvider('token-fixture', {
        provideTextDocumentContent: () => `captured request\nAuthorization: Bearer ${jwt}\n`,
      });
      try {
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse('token-fixture:/request.http'));
        const text = await hoverText(document, 1, 'Authorization: Bearer '.length + 8);
        assert.match(text, /\*\*Valid\*\*/);
      } finally {
        registration.dispose();
      }
    });

    it('joins a JWT wrapped onto the next line, and says so', async () => {
      const cutAt = jwt.indexOf('.') + 30;
      const document = await vscode.workspace.openTextDocument(
        await writeFile('wrapped.log', `INFO token=${jwt.slice(0, cutAt)}\n${jwt.slice(cutAt)}\nINFO next\n`),
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(0, 15),
      );
      const text = await hoverText(document, 0, 15);
      assert.match(text, /\*\*Valid\*\*/);
      assert.match(text, /Joined: `with the \d+ characters that continue it on line 2`/);
      const range = hovers.find((h) => h.range?.end.line === 1)?.range;
      assert.ok(range, 'the hover does not cover the continuation');
      assert.equal(range.end.character, jwt.length - cutAt);

      // The same joined token over its second line (hovering the rest of the signature).
      const second = await hoverText(document, 1, 10);
      assert.match(second, /\*\*Valid\*\*/);
      assert.match(second, /Joined: `with the \d+ characters that continue it on line 2`/);
      const secondHovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(1, 10),
      );
      const joinedRange = secondHovers.find((h) => h.range?.start.line === 0)?.range;
      assert.ok(joinedRange, 'the hover over the second line does not cover the first');
      assert.equal(joinedRange.start.character, 'INFO token='.length);
      assert.equal(joinedRange.end.line, 1);
      // The line after the token is not part of it.
      assert.doesNotMatch(await hoverText(document, 2, 2), /JWT|Joined/);
    });

    it('calls a truncated JWT cut instead of badly signed', async () => {
      const truncated = jwt.slice(0, jwt.length - 182);
      const document = await vscode.workspace.openTextDocument(await writeFile('truncated.txt', `copied: ${truncated}… (display)\n`));
      const text = await hoverText(document, 0, 12);
      assert.match(text, /Looks cut/);
      assert.match(text, /signature is 120 bytes, RS256 needs 256/);
      assert.doesNotMatch(text, /Bad signature/);
    });

    it('calls a JWT cut in its payload at a line end cut when the next line does not continue it', async () => {
      const document = await vscode.workspace.openTextDocument(
        await writeFile('cut.txt', `token=${jwt.slice(0, jwt.indexOf('.') + 25)}\n-- end --\n`),
      );
      const text = await hoverText(document, 0, 10);
      assert.match(text, /Looks cut/);
      assert.match(text, /ends inside its payload/);
    });
  });

  describe('Decode Token on a paused program', () => {
    let frame: { session: vscode.DebugSession; frameId: number };
    let scope: { name: string; variablesReference: number };
    let locals: { name: string; value: string; evaluateName?: string; variablesReference: number }[];
    let getterRan: string;
    /** Every request VS Code and the extension send to the adapter (recorded from the session's start). */
    const requests: { command: string; arguments?: { expression?: string; context?: string } }[] = [];
    let recorder: vscode.Disposable | undefined;
    const variable = (name: string) => {
      const found = locals.find((v) => v.name === name);
      assert.ok(found, `no variable ${name} among ${locals.map((v) => v.name).join(', ')}`);
      return found;
    };

    before(async () => {
      getterRan = path.join(workspaceDir(), 'inspect-debug', 'getter-ran.txt');
      await fs.rm(getterRan, { force: true });
      const program = await writeFile(
        'program.js',
        [
          // Getters with a side effect (a token behind one): only the program's own code may run them.
          `const account = { get secret() { require('fs').writeFileSync(${JSON.stringify(getterRan)}, 'ran'); return jwt; } };`,
          `const jwt = '${jwt}';`,
          `const longToken = '${longJwt}';`,
          `const plain = 'hello, world';`,
          `const session = { user: 'alice', tokens: { access_token: jwt }, get audit() { require('fs').writeFileSync(${JSON.stringify(getterRan)}, 'ran'); return 'read'; } };`,
          `const response = JSON.stringify({ access_token: '${OPAQUE_AT}', id_token: jwt });`,
          'debugger;',
          'console.log(jwt.length, longToken.length, plain, session, response, account);',
          '',
        ].join('\n'),
      );
      // The pause is read from the adapter's own `stopped` event (not from the workbench's focus, which another
      // view may hold), then the top frame of that thread, as the Variables view gets it.
      const steps: string[] = [];
      // Earlier suites may leave untitled documents with changes: VS Code's "save before start" would ask where
      // to save them (a dialog no one answers here) before it starts the session.
      await vscode.workspace.getConfiguration('debug').update('saveBeforeStart', 'none', vscode.ConfigurationTarget.Global);
      recorder = vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
        createDebugAdapterTracker: () => ({
          onWillReceiveMessage: (message: { type?: string; command?: string; arguments?: { expression?: string; context?: string } }) => {
            if (message.type === 'request' && typeof message.command === 'string') {
              requests.push({ command: message.command, ...(message.arguments ? { arguments: message.arguments } : {}) });
            }
          },
        }),
      });
      const stopped = new Promise<{ session: vscode.DebugSession; threadId: number }>((resolve) => {
        const factory = vscode.debug.registerDebugAdapterTrackerFactory('pwa-node', {
          createDebugAdapterTracker: (session) => ({
            onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
              if (message.type === 'event' && message.event === 'stopped' && typeof message.body?.threadId === 'number') {
                steps.push(`stopped in session ${session.name}`);
                factory.dispose();
                resolve({ session, threadId: message.body.threadId });
              }
            },
          }),
        });
      });
      const within = <T>(promise: PromiseLike<T>, what: string): Promise<T> =>
        Promise.race([
          Promise.resolve(promise),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`${what} did not happen within 60 s (so far: ${steps.join('; ') || 'nothing'})`)), 60_000),
          ),
        ]);
      const started = await within(
        vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
          type: 'pwa-node',
          request: 'launch',
          name: 'Token program',
          program: program.fsPath,
          runtimeExecutable: process.execPath,
          console: 'internalConsole',
        }),
        'starting the debug session',
      );
      assert.ok(started, 'the debug session did not start');
      steps.push('session started');
      const pause = await within(stopped, 'the pause at `debugger;`');
      const trace = (await pause.session.customRequest('stackTrace', { threadId: pause.threadId, startFrame: 0, levels: 1 })) as {
        stackFrames: { id: number }[];
      };
      frame = { session: pause.session, frameId: trace.stackFrames[0].id };
      const scopes = (await frame.session.customRequest('scopes', { frameId: frame.frameId })) as { scopes: (typeof scope)[] };
      scope = scopes.scopes[0]!;
      locals = (
        (await frame.session.customRequest('variables', { variablesReference: scope.variablesReference })) as { variables: typeof locals }
      ).variables;
    });

    after(async () => {
      await vscode.workspace.getConfiguration('debug').update('saveBeforeStart', undefined, vscode.ConfigurationTarget.Global);
      await vscode.debug.stopDebugging();
      recorder?.dispose();
    });

    it('opens the JWT of a variable decoded and verified, as the Variables view passes it', async () => {
      const argument = { sessionId: frame.session.id, container: scope, variable: variable('jwt') };
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable', argument));
      assert.ok(viewer, 'no token viewer opened');
      const [view] = viewer.views;
      assert.equal(view?.verdict.status, 'valid', view?.verdict.message);
      assert.match(view.payload ?? '', /"team": "blue"/);
      assert.match(viewer.summary ?? '', /read in full by the debugger \(clipboard context\)/);
    });

    /** What the Watch view holds for an expression: js-debug evaluates it in the `watch` context, which shortens strings. */
    async function watchArgument(expression: string): Promise<{ sessionId: string; variable: Record<string, unknown> }> {
      const body = (await frame.session.customRequest('evaluate', { expression, frameId: frame.frameId, context: 'watch' })) as {
        result: string;
        variablesReference: number;
      };
      return {
        sessionId: frame.session.id,
        variable: { name: expression, value: body.result, evaluateName: expression, variablesReference: body.variablesReference },
      };
    }

    it('reads a 5,000-character token of the Watch view in full although the view holds it shortened', async () => {
      const argument = await watchArgument('longToken');
      const shown = argument.variable.value as string;
      assert.ok(shown.length < longJwt.length, `the Watch view held all ${shown.length} characters`);
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable', argument));
      assert.ok(viewer, 'no token viewer opened');
      assert.equal(viewer.views[0]?.verdict.status, 'valid', viewer.views[0]?.verdict.message);
      assert.equal(viewer.views[0]?.length, longJwt.length);
      assert.match(viewer.views[0]?.payload ?? '', /"team": "long"/);
    });

    it('finds the token in an object field and offers the tokens of a JSON string', async () => {
      const fromObject = await viewerOpenedBy(services, () =>
        vscode.commands.executeCommand('slashid.debug.decodeVariable', {
          sessionId: frame.session.id,
          container: scope,
          variable: variable('session'),
        }),
      );
      assert.ok(fromObject, 'no viewer for the object');
      assert.equal(fromObject.views[0]?.title, 'session → tokens.access_token');
      assert.equal(fromObject.views[0]?.verdict.status, 'valid');

      const ui = script(services, [{ pick: 'access_token' }]);
      const fromJson = await viewerOpenedBy(services, () =>
        vscode.commands.executeCommand('slashid.debug.decodeVariable', {
          sessionId: frame.session.id,
          container: scope,
          variable: variable('response'),
        }),
      );
      ui.assertDone();
      assert.ok(fromJson, 'no viewer for the JSON string');
      assert.equal(fromJson.views[0]?.kind, 'opaque');
    });

    it('says so when the value holds no token', async () => {
      const ui = script(services, []);
      const viewer = await viewerOpenedBy(services, () =>
        vscode.commands.executeCommand('slashid.debug.decodeVariable', {
          sessionId: frame.session.id,
          container: scope,
          variable: variable('plain'),
        }),
      );
      assert.equal(viewer, undefined);
      assert.match(ui.texts().join('\n'), /The value of "plain" holds no token/);
    });

    it('falls back to the displayed value, and calls a shortened one cut, when the session cannot evaluate', async () => {
      const ended = { ...(await watchArgument('longToken')), sessionId: 'a-session-that-ended' };
      const ui = script(services, []);
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable', ended));
      assert.equal(viewer, undefined, 'a shortened token was opened');
      assert.match(
        ui.texts().join('\n'),
        /holds a JWT, but it is not whole\. The token looks cut: it ends inside its payload.*the debug session has ended/,
      );

      const broken = {
        sessionId: frame.session.id,
        container: scope,
        variable: { ...variable('jwt'), evaluateName: 'jwt.no.such.property' },
      };
      const fallback = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable', broken));
      assert.ok(fallback, 'no viewer from the displayed value');
      assert.equal(fallback.views[0]?.verdict.status, 'valid');
      assert.match(fallback.summary ?? '', /may be shortened: the debugger could not evaluate it/);
    });

    it('from the palette (SlashID: Decode Token), offers the tokens the paused frame shows, without running its code (issue 19, L2)', async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const ui = script(services, [{ pick: 'jwt' }]);
      const offered: string[] = [];
      const pick = ui.pick.bind(ui);
      ui.pick = (items, options) => {
        offered.push(...items.map((i) => i.label));
        return pick(items, options);
      };
      requests.length = 0;
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.tokens.decode'));
      assert.ok(viewer, `no viewer; asked: ${ui.asked.join(' | ')}; said: ${ui.texts().join(' | ')}`);
      ui.assertDone();
      await assert.rejects(fs.access(getterRan), 'a getter (`account.secret` or `session.audit`) ran');
      // The plain locals' tokens, and nothing found by expanding objects (no `session.tokens.access_token`) or by a getter.
      assert.ok(offered.includes('longToken') && offered.includes('response.access_token'), offered.join(', '));
      assert.deepEqual(
        offered.filter((label) => label.includes('.') && !label.startsWith('response.')),
        [],
        'a token found by expanding an object',
      );
      const evaluations = requests.filter((r) => r.command === 'evaluate');
      assert.deepEqual(
        evaluations.map((r) => [r.arguments?.expression, r.arguments?.context]),
        [['jwt', 'clipboard']],
        'evaluated other than the picked variable, or in another context',
      );
      assert.equal(viewer.views[0]?.verdict.status, 'valid');
      assert.match(viewer.summary ?? '', /From jwt in the paused frame of ".*", read in full by the debugger \(clipboard context\)\./);
    });

    it('from a keybinding without a variable, offers the same tokens', async () => {
      const ui = script(services, [{ pick: 'longToken' }]);
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable'));
      assert.ok(viewer, `no viewer; asked: ${ui.asked.join(' | ')}; said: ${ui.texts().join(' | ')}`);
      assert.equal(viewer.views[0]?.length, longJwt.length);
      assert.equal(viewer.views[0]?.verdict.status, 'valid');
    });

    it('says so from the palette-less command when no program is paused', async () => {
      await vscode.debug.stopDebugging();
      await until(() => vscode.debug.activeStackItem === undefined);
      const ui = script(services, []);
      const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.debug.decodeVariable'));
      assert.equal(viewer, undefined);
      assert.match(ui.texts().join('\n'), /No program is paused/);
    });
  });

  describe('terminal links', () => {
    it('makes JWTs and opaque tokens printed in a terminal links that open the token viewer', async () => {
      const line = `$ curl -s localhost | jq -r .token → ${jwt} and refresh ${OPAQUE_AT}`;
      const written = new vscode.EventEmitter<string>();
      const terminal = vscode.window.createTerminal({
        name: 'Token printer',
        pty: { onDidWrite: written.event, open: () => written.fire(`${line}\r\n`), close: () => undefined },
      });
      try {
        terminal.show(true);
        const provider = new TerminalTokenLinkProvider(services);
        const links = await provider.provideTerminalLinks({ line, terminal });
        assert.deepEqual(
          links.map((l) => [l.startIndex, l.length, l.kind]),
          [
            [line.indexOf('eyJ'), jwt.length, 'jwt'],
            [line.indexOf('sid_at_'), OPAQUE_AT.length, 'opaque-access-token'],
          ],
        );
        assert.deepEqual(await provider.provideTerminalLinks({ line: 'no tokens here', terminal }), []);
        const viewer = await viewerOpenedBy(services, () => provider.handleTerminalLink(links[0]));
        assert.ok(viewer, 'activating the link opened no viewer');
        assert.equal(viewer.views[0]?.verdict.status, 'valid');
        assert.equal(viewer.summary, 'From a terminal.');

        // This terminal has no shell: "Decode Token from Terminal" says what to do instead.
        await until(() => vscode.window.activeTerminal === terminal);
        const ui = script(services, []);
        assert.equal(await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.tokens.decodeFromTerminal')), undefined);
        assert.match(
          ui.texts('info').join('\n'),
          /"Token printer" has no shell integration, .*select the token in the terminal, copy it and run "SlashID: Decode Token"/,
        );
      } finally {
        terminal.dispose();
        written.dispose();
      }
    });

    /*
     * The keyboard's way (issue 19, item 3). VS Code's own "Terminal: Open Detected Link"
     * (workbench.action.terminal.openDetectedLink) does not list links of extensions' providers: in VS Code 1.139,
     * TerminalLinkManager.getLinks() asks only the built-in word, URL, file and folder detectors (the extension
     * providers' detector is registered with xterm.js for the pointer, not among `_standardLinkProviders`), and
     * TerminalLinkQuickpick shows those four kinds. A token there is at best a "Workspace Search" word. So the
     * extension has its own command, fed by shell integration (injected into bash by default).
     */
    it('"Decode Token from Terminal" lists the tokens a shell printed and opens the one picked', async () => {
      const file = await writeFile('refresh-token.txt', `refresh_token=${OPAQUE_AT}\n`);
      const terminal = vscode.window.createTerminal({ name: 'Token shell', shellPath: '/bin/bash' });
      /** Runs a command line in the shell and waits until shell integration says it ended. */
      const run = async (commandLine: string) => {
        let listener: vscode.Disposable | undefined;
        const ended = new Promise<void>((resolve) => {
          listener = vscode.window.onDidEndTerminalShellExecution((e) => e.terminal === terminal && resolve());
        });
        terminal.sendText(commandLine);
        await Promise.race([
          ended,
          new Promise((_, reject) => setTimeout(() => reject(new Error(`"${commandLine.slice(0, 30)}…" did not end`)), 20_000)),
        ]);
        listener?.dispose();
      };
      try {
        terminal.show();
        await until(() => terminal.shellIntegration !== undefined, 30_000).catch(() => {
          throw new Error('bash in the integrated terminal got no shell integration within 30 s');
        });
        // A token echoed: on the command line and in the output.
        await run(`echo "access_token=${jwt}"`);
        // A token only in a command's output. (VS Code passes on a command's output from the chunk after the one that
        // starts it: what a command prints at once, in that same chunk, does not reach extensions. Hence the pause.)
        await run(`sleep 0.5; cat '${file.fsPath}'`);
        await until(() => vscode.window.activeTerminal === terminal);
        const ui = script(services, [{ pick: maskToken(jwt) }]);
        const offered: { label: string; detail?: string }[] = [];
        const pick = ui.pick.bind(ui);
        ui.pick = (items, options) => {
          offered.push(...items.map((i) => ({ label: i.label, ...(i.detail !== undefined ? { detail: i.detail } : {}) })));
          return pick(items, options);
        };
        const viewer = await viewerOpenedBy(services, () => vscode.commands.executeCommand('slashid.tokens.decodeFromTerminal'));
        assert.ok(viewer, `no viewer; asked: ${ui.asked.join(' | ')}; said: ${ui.texts().join(' | ')}`);
        ui.assertDone();
        assert.equal(viewer.views[0]?.verdict.status, 'valid', viewer.views[0]?.verdict.message);
        assert.equal(viewer.views[0]?.length, jwt.length);
        assert.equal(viewer.summary, 'From a terminal.');
        // Masked labels, most recent first; a JWT's issuer, subject and expiry.
        assert.deepEqual(
          offered.map((o) => o.label),
          [maskToken(OPAQUE_AT), maskToken(jwt)],
        );
        assert.match(offered[1]?.detail ?? '', new RegExp(`^issuer http://127\\.0\\.0\\.1:\\d+ · person ${ALICE} · expires in `));
        assert.ok(
          offered.every((o) => !o.label.includes(jwt.slice(10, -10)) && !(o.detail ?? '').includes(jwt.slice(10, -10))),
          'the quick pick shows the token',
        );
      } finally {
        terminal.dispose();
      }
    });
  });
});
