/**
 * Activation runs the shell only (src/extension.ts, src/shell/): the features bundle, dist/features.js,
 * is read on first real use (here: a chat tool another extension calls). Checked in this host, without the test hooks (with them, activate() hands
 * the tests the features' services, so it loads them), before the other suite of this folder runs any
 * command: the extension host's require cache says which of our bundles were loaded.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { getExtension } from '../extension';
import { hoverText } from '../services';

function featuresLoaded(): boolean {
  const features = path.join(getExtension().extensionPath, 'dist', 'features.js');
  return Object.keys(require.cache).some((id) => path.resolve(id) === features);
}

describe('activation loads the shell only', () => {
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ sub: 'lazy-activation', team: 'shell' })).toString('base64url');

  it('activates without reading the features bundle; a hover over text without a token does not read it either', async () => {
    await getExtension().activate();
    assert.ok(getExtension().isActive);
    assert.equal(featuresLoaded(), false, 'dist/features.js was loaded at activation');
    const document = await vscode.workspace.openTextDocument({ content: 'nothing to see here\nstill nothing\n', language: 'plaintext' });
    await hoverText(document, 1, 3);
    assert.equal(featuresLoaded(), false, 'a hover over a line without a token loaded the features');
  });

  it('loads the features when a chat tool is the first real use, and the tool answers', async () => {
    assert.equal(featuresLoaded(), false);
    const result = await vscode.lm.invokeTool('slashid_listOrganizations', { input: {}, toolInvocationToken: undefined });
    const text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    assert.equal(featuresLoaded(), true, 'the tool ran without the features bundle');
    const reply = JSON.parse(text) as { ok: boolean; organizations?: unknown };
    assert.equal(reply.ok, true, text);
    assert.ok(Array.isArray(reply.organizations), text);
  });

  it("decodes the first hover over a token through the shell's stand-in", async () => {
    const document = await vscode.workspace.openTextDocument({ content: `token: ${header}.${payload}.\n`, language: 'plaintext' });
    const text = await hoverText(document, 0, 12);
    assert.equal(featuresLoaded(), true);
    assert.match(text, /"team": "shell"/);
  });
});
