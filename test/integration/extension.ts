/** The extension under test, as the extension host sees it. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'slashid.slashid-oauth2';

/**
 * What the suites use of the API `activate()` returns. Typed structurally (a tree data provider), so the
 * suites depend on VS Code's interface rather than on the extension's internals.
 */
export interface ExtensionTestApi {
  readonly tree: vscode.TreeDataProvider<unknown>;
}

export interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

export interface ExtensionManifest {
  contributes?: {
    commands?: ContributedCommand[];
    views?: Record<string, { id: string }[]>;
    viewsContainers?: Record<string, { id: string }[]>;
  };
}

export function getExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded in this extension host`);
  return extension;
}

export function manifest(): ExtensionManifest {
  return getExtension().packageJSON as ExtensionManifest;
}

export async function activateExtension(): Promise<ExtensionTestApi> {
  const api = (await getExtension().activate()) as Partial<ExtensionTestApi> | undefined;
  assert.ok(api?.tree, 'activate() returned no `tree` in its test API');
  return api as ExtensionTestApi;
}

/** The label a tree item shows, whether VS Code was given a string or a TreeItemLabel. */
export async function labelOf(tree: vscode.TreeDataProvider<unknown>, node: unknown): Promise<string> {
  const item = await tree.getTreeItem(node);
  const label = item.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}
