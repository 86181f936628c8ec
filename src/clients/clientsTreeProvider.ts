import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { OrgConnections } from '../orgs/connections';
import type { SecretVault } from '../orgs/secretVault';
import { rootTarget, targetKey, type OrgTarget } from '../orgs/orgTarget';
import type { ClientsModel } from './clientsModel';
import { ClientNode, MessageNode, OrgNode, type TreeNode } from './treeNodes';

export interface ClientsTreeOptions {
  /** Runs once, before the first root listing (the `npm start` demo connects its org there). */
  readonly beforeFirstLoad?: () => Promise<void>;
}

/**
 * Org → (sub-orgs, clients) → details. Loading, error and empty states are explicit nodes;
 * `getChildren` never throws and never pops a notification.
 */
export class ClientsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly orgNodes = new Map<string, OrgNode>();
  private firstLoad: Promise<void> | undefined;

  constructor(
    private readonly connections: OrgConnections,
    private readonly vault: SecretVault,
    private readonly model: ClientsModel,
    private readonly options: ClientsTreeOptions = {},
  ) {
    super();
    this._register(connections.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    this._register(model.onDidChange((target) => this._onDidChangeTreeData.fire(target ? this.orgNode(target) : undefined)));
    this._register(
      vault.onDidChange(({ connectionId, clientId }) => {
        if (clientId === undefined) {
          // The API key changed (here or in another window): reload that org.
          const connection = connections.get(connectionId);
          if (connection) {
            model.invalidate(rootTarget(connection));
          }
          return;
        }
        this._onDidChangeTreeData.fire(undefined);
      }),
    );
  }

  /** The node for an org target, the same instance each time so `reveal` and refresh events match. */
  orgNode(target: OrgTarget): OrgNode {
    const key = targetKey(target);
    let node = this.orgNodes.get(key);
    if (!node || node.target.connection !== target.connection) {
      node = new OrgNode(target);
      this.orgNodes.set(key, node);
    }
    return node;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  /** Called by VS Code on hover: client tooltips are built only then. */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (node.kind === 'client' && item.tooltip === undefined) {
      item.tooltip = node.tooltip();
    }
    return item;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'client') {
      return this.orgNode(node.target);
    }
    if (node.kind === 'org' && node.target.orgId !== node.target.connection.orgId) {
      return this.orgNode(rootTarget(node.target.connection));
    }
    return undefined;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) {
      const { beforeFirstLoad } = this.options;
      if (beforeFirstLoad) {
        this.firstLoad ??= beforeFirstLoad();
        await this.firstLoad;
      }
      return this.connections
        .all()
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((c) => this.orgNode(rootTarget(c)));
    }
    if (node.kind === 'client') {
      const hostedUi = await this.model.hostedUiState(node.target, node.client.client_id);
      return [...node.details(), node.hostedUiRow(hostedUi)];
    }
    if (node.kind !== 'org') {
      return [];
    }
    return this.orgChildren(node.target);
  }

  private async orgChildren(target: OrgTarget): Promise<TreeNode[]> {
    const state = await this.model.load(target);
    const prefix = targetKey(target);
    if (state.kind === 'error') {
      return [
        new MessageNode(`${prefix}/error`, 'error', 'Could not load clients', state.message, target, {
          command: 'slashid.tree.retry',
          title: 'Retry',
          arguments: [this.orgNode(target)],
        }),
      ];
    }
    if (state.kind !== 'loaded') {
      return [];
    }
    const children: TreeNode[] = [];
    const isRoot = target.orgId === target.connection.orgId;
    if (isRoot) {
      for (const subOrgId of state.subOrgIds) {
        children.push(this.orgNode({ connection: target.connection, orgId: subOrgId }));
      }
      if (state.subOrgError) {
        children.push(new MessageNode(`${prefix}/suborg-error`, 'info', 'Sub-organizations unavailable', state.subOrgError, target));
      }
    }
    if (state.clients.length === 0) {
      children.push(
        new MessageNode(`${prefix}/empty`, 'empty', 'No OAuth2 clients yet', 'Create one', target, {
          command: 'slashid.clients.create',
          title: 'Create OAuth2 Client',
          arguments: [this.orgNode(target)],
        }),
      );
      return children;
    }
    const withSecret = this.vault.clientsWithSecret(target.connection.id);
    for (const client of state.clients) {
      children.push(new ClientNode(target, client, withSecret.has(client.client_id)));
    }
    return children;
  }

  refresh(target?: OrgTarget): void {
    this.model.invalidate(target);
  }
}
