/**
 * Issue 19 L5: a client name carrying `$(icon)` syntax reaches the status bar as text. The pending sign-in's
 * real status bar item, in this extension host, with the name escaped however the caller passed it.
 */
import * as assert from 'node:assert/strict';
import type { Services } from '../../src/services';
import { inertLabel, inertText } from '../../src/slashid/untrustedText';
import { getExtension } from './extension';

const EVIL = '$(alert) Evil $(loading~spin)';

/** `$(` not preceded by the escaping backslash: what VS Code renders as an icon. */
const UNESCAPED_ICON = /(?<!\\)\$\(/g;

describe('client names with $(icon) syntax in the status bar (issue 19 L5)', () => {
  let s: Services;
  before(async () => {
    s = (await getExtension().activate()) as Services;
  });

  for (const [how, name] of [
    ['as the server sent it', EVIL],
    ['made inert as text (inertText)', inertText(EVIL, 100)],
    ['made inert as a label (inertLabel, as the code flow passes it)', inertLabel(EVIL, 100)],
  ] as const) {
    it(`shows the name of a pending sign-in without icons, ${how}`, async () => {
      const pending = s.pendingAuthorization;
      assert.ok(pending, 'the test hooks expose the pending sign-in');
      const shown = await pending.run(name, { state: 'icon-syntax-state', issuer: 'http://127.0.0.1:1' }, () =>
        Promise.resolve(pending.text),
      );
      assert.ok(shown.startsWith('$(loading~spin) Signing in to '), shown);
      const ours = shown.slice('$(loading~spin)'.length);
      assert.deepEqual(ours.match(UNESCAPED_ICON) ?? [], [], `icon syntax would render: ${shown}`);
      assert.ok(ours.includes('\\$(alert) Evil \\$(loading~spin)'), `the name is shown as text, escaped once: ${shown}`);
      assert.equal(pending.text, '', 'hidden once the sign-in ends');
    });
  }
});
