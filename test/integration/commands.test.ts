import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, manifest } from './extension';

/** Commands the workbench itself registers for each contributed view and view container. */
function workbenchGeneratedCommands(): Set<string> {
  const contributes = manifest().contributes ?? {};
  const generated = new Set<string>();
  for (const views of Object.values(contributes.views ?? {})) {
    for (const view of views) {
      for (const suffix of ['focus', 'resetViewLocation', 'removeView', 'toggleVisibility', 'open']) generated.add(`${view.id}.${suffix}`);
    }
  }
  return generated;
}

describe('commands', () => {
  before(() => activateExtension());

  it('every command contributed in package.json is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (manifest().contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });

  it('every registered slashid.* command is contributed in package.json', async () => {
    const contributed = new Set((manifest().contributes?.commands ?? []).map((c) => c.command));
    const generated = workbenchGeneratedCommands();
    const registered = (await vscode.commands.getCommands(true)).filter((id) => id.startsWith('slashid.'));
    assert.deepEqual(
      registered.filter((id) => !contributed.has(id) && !generated.has(id)),
      [],
      'registered but not contributed',
    );
  });

  it('every contributed command has a title, the SlashID category and an icon', () => {
    const incomplete = (manifest().contributes?.commands ?? [])
      .filter((c) => !c.title || c.category !== 'SlashID' || !(c as { icon?: string }).icon)
      .map((c) => c.command);
    assert.deepEqual(incomplete, []);
  });
});
