import * as vscode from 'vscode';
import type { DetailNode } from '../treeNodes';

/** "Copy Value" on a detail row of the tree. */
export async function copyDetailValue(node?: DetailNode): Promise<void> {
  if (node?.copyValue) {
    await vscode.env.clipboard.writeText(node.copyValue);
    vscode.window.setStatusBarMessage(`$(copy) Copied ${node.label}`, 3000);
  }
}
