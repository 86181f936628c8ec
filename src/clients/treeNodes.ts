import * as vscode from 'vscode';
import type { OAuth2Client } from '../slashid/schemas';
import type { OrgTarget } from '../orgs/orgTarget';
import { isSubOrg, shortId, targetKey } from '../orgs/orgTarget';
import { formatDuration } from '../tokens/times';
import { formatInstant } from './instants';
import { OwnNode } from '../common/ownNodes';
import { escapeMarkdown, inertText } from '../slashid/untrustedText';

/** Text from the API (or typed by the user) inside a Markdown tooltip: inert, shortened, then escaped. */
function markdownText(text: string): string {
  return escapeMarkdown(inertText(text));
}
import type { HostedUiState } from './clientsModel';

/** `contextValue`s that package.json menus key off. */
export const ContextValues = {
  rootOrg: 'slashid:org:root',
  subOrg: 'slashid:org:sub',
  client: 'slashid:client',
  clientWithSecret: 'slashid:client:withSecret',
  detail: 'slashid:detail',
  error: 'slashid:error',
  empty: 'slashid:empty',
  info: 'slashid:info',
} as const;

export type TreeNode = OrgNode | ClientNode | DetailNode | MessageNode;

const ENVIRONMENT_LABELS: Record<string, string> = {
  production: 'production',
  sandbox: 'sandbox',
  emulator: 'local emulator',
  custom: 'custom URL',
};

export class OrgNode extends OwnNode {
  readonly kind = 'org';
  constructor(readonly target: OrgTarget) {
    super();
  }

  get id(): string {
    return `org:${targetKey(this.target)}`;
  }

  getTreeItem(): vscode.TreeItem {
    const { connection } = this.target;
    const sub = isSubOrg(this.target);
    const item = new vscode.TreeItem(
      sub ? shortId(this.target.orgId) : inertText(connection.name),
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    item.id = this.id;
    item.description = sub ? 'sub-organization' : (ENVIRONMENT_LABELS[connection.environment] ?? connection.environment);
    item.iconPath = new vscode.ThemeIcon(sub ? 'type-hierarchy-sub' : 'organization');
    item.contextValue = sub ? ContextValues.subOrg : ContextValues.rootOrg;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${markdownText(sub ? `Sub-organization of ${connection.name}` : connection.name)}**\n\n`);
    tooltip.appendMarkdown(`Org ID: \`${this.target.orgId}\`\n\n`);
    tooltip.appendMarkdown(
      `API: ${markdownText(connection.baseUrl)} (${ENVIRONMENT_LABELS[connection.environment] ?? connection.environment})`,
    );
    if (sub) {
      tooltip.appendMarkdown(`\n\nRead with the API key of ${markdownText(connection.name)}.`);
    }
    item.tooltip = tooltip;
    return item;
  }
}

/** A client's `contextValue`, by [has a stored secret][can run the authorization-code flow]: no string built per item. */
const CLIENT_CONTEXT_VALUES = [
  [ContextValues.client, `${ContextValues.client}:authCode`],
  [ContextValues.clientWithSecret, `${ContextValues.clientWithSecret}:authCode`],
] as const;

/**
 * A client's grant types as its item's description, inert. An org lists the same few combinations for
 * thousands of clients: each is made once (the cache holds at most 64).
 */
const grantListTexts = new Map<string, string>();
function grantListText(grants: readonly string[]): string {
  const joined = grants.length === 1 ? grants[0] : grants.join(', ');
  let text = grantListTexts.get(joined);
  if (text === undefined) {
    text = inertText(joined);
    if (grantListTexts.size >= 64) grantListTexts.clear();
    grantListTexts.set(joined, text);
  }
  return text;
}

/** A client's three icons, shared by every item of a list of thousands (a `ThemeIcon` is immutable). */
const CLIENT_ICONS = { key: new vscode.ThemeIcon('key'), globe: new vscode.ThemeIcon('globe'), shield: new vscode.ThemeIcon('shield') };

export class ClientNode extends OwnNode {
  readonly kind = 'client';
  constructor(
    readonly target: OrgTarget,
    readonly client: OAuth2Client,
    readonly hasSecret: boolean,
  ) {
    super();
  }

  get id(): string {
    return `client:${targetKey(this.target)}/${this.client.client_id}`;
  }

  getTreeItem(): vscode.TreeItem {
    const c = this.client;
    // Names and grant types come from the API: shown inert and shortened (`inertText`), once each.
    const name = inertText(c.client_name || c.client_id);
    const grantsText = grantListText(c.grant_types);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = grantsText || 'no grant types';
    item.iconPath = CLIENT_ICONS[this.hasSecret ? 'key' : c.public ? 'globe' : 'shield'];
    // `:authCode` marks clients that can run the authorization-code flow (its menu entry keys off it).
    item.contextValue = CLIENT_CONTEXT_VALUES[this.hasSecret ? 1 : 0][c.grant_types.includes('authorization_code') ? 1 : 0];
    // The tooltip is built on hover (ClientsTreeProvider.resolveTreeItem): an org may list thousands of clients.
    // Built from the parts already made inert: an org may list thousands of clients.
    item.accessibilityInformation = {
      label: `${name}, ${c.public ? 'public' : 'confidential'} client, grant types ${grantsText || 'none'}${this.hasSecret ? ', secret stored' : ''}`,
    };
    return item;
  }

  tooltip(): vscode.MarkdownString {
    const c = this.client;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${markdownText(c.client_name)}**\n\n`);
    tooltip.appendMarkdown(`Client ID: \`${c.client_id.replace(/`/g, "'")}\`\n\n`);
    tooltip.appendMarkdown(
      `${c.public ? 'Public' : 'Confidential'} client · ${markdownText(c.grant_types.join(', ') || 'no grant types')}\n\n`,
    );
    tooltip.appendMarkdown(
      this.hasSecret ? '$(key) Client secret stored in VS Code SecretStorage' : '$(circle-slash) No client secret stored locally',
    );
    return tooltip;
  }

  details(now = Date.now()): DetailNode[] {
    const c = this.client;
    const rows: DetailNode[] = [];
    const add = (key: string, label: string, value: string, opts: Partial<Pick<DetailNode, 'tooltip' | 'icon' | 'copyValue'>> = {}) =>
      rows.push(new DetailNode(`${this.id}/${key}`, label, value, opts.tooltip, opts.icon, opts.copyValue ?? value));
    add('id', 'Client ID', c.client_id, { icon: 'symbol-key' });
    add('type', 'Type', c.public ? 'public' : 'confidential', {
      icon: c.public ? 'globe' : 'shield',
      tooltip: c.public
        ? 'Public clients cannot use a client secret (browser and mobile apps).'
        : 'Confidential clients authenticate with their client secret.',
    });
    add('grants', 'Grant types', c.grant_types.join(', ') || '—', { icon: 'git-pull-request' });
    add('responses', 'Response types', (c.response_types ?? []).map((r) => r.join(' ')).join(', ') || '—', { icon: 'reply' });
    add('scopes', 'Scopes', c.scopes.join(' ') || '—', { icon: 'checklist' });
    const uris = c.redirect_uris ?? [];
    add('redirects', 'Redirect URIs', uris.length ? uris.join(', ') : '—', {
      icon: 'link',
      tooltip: uris.length ? uris.join('\n') : 'No redirect URIs',
    });
    const access = c.access_token_duration;
    const refresh = c.refresh_token_duration;
    add('access', 'Access token lifetime', access !== undefined ? formatDuration(access) : 'default (24 h)', {
      icon: 'watch',
      tooltip: access !== undefined ? `${access} seconds` : 'Not set: SlashID defaults to 86,400 seconds (24 hours).',
      copyValue: access !== undefined ? String(access) : '',
    });
    add('refresh', 'Refresh token lifetime', refresh !== undefined ? formatDuration(refresh) : 'default (10 days)', {
      icon: 'history',
      tooltip: refresh !== undefined ? `${refresh} seconds` : 'Not set: SlashID defaults to 864,000 seconds (10 days).',
      copyValue: refresh !== undefined ? String(refresh) : '',
    });
    for (const [key, label, value] of [
      ['created', 'Created', c.created_at],
      ['used', 'Last used', c.last_used],
    ] as const) {
      if (!value) {
        add(key, label, key === 'used' ? 'never' : '—', { icon: 'calendar' });
        continue;
      }
      const t = formatInstant(value, now);
      add(key, label, t.relative, { icon: 'calendar', tooltip: `${t.utc}\n${t.local}`, copyValue: t.utc });
    }
    return rows;
  }

  /** Whether the client has a hosted-UI configuration ("SlashID: Edit Hosted UI Configuration"). */
  hostedUiRow(state: HostedUiState): DetailNode {
    const value =
      state.kind === 'configured'
        ? `configured (${state.fields.length} field${state.fields.length === 1 ? '' : 's'})`
        : state.kind === 'none'
          ? 'not configured'
          : 'unknown';
    const tooltip =
      state.kind === 'configured'
        ? `Hosted UI configuration: ${inertText(state.fields.join(', '), 300)}`
        : state.kind === 'none'
          ? 'The client uses the default hosted UI; set one with "SlashID: Edit Hosted UI Configuration".'
          : state.message;
    return new DetailNode(`${this.id}/hostedUi`, 'Hosted UI', value, tooltip, 'browser', '');
  }
}

export class DetailNode extends OwnNode {
  readonly kind = 'detail';
  constructor(
    readonly id: string,
    readonly label: string,
    readonly value: string,
    readonly tooltip?: string,
    readonly icon?: string,
    readonly copyValue?: string,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = inertText(this.value);
    // A plain-text tooltip (no Markdown, no links): shown as given.
    item.tooltip = this.tooltip ?? `${this.label}: ${this.value}`;
    item.iconPath = this.icon ? new vscode.ThemeIcon(this.icon) : undefined;
    item.contextValue = this.copyValue ? ContextValues.detail : ContextValues.info;
    return item;
  }
}

/** An explicit node for an error, an empty list or a note, with an optional action. */
export class MessageNode extends OwnNode {
  readonly kind = 'message';
  constructor(
    readonly id: string,
    readonly variant: 'error' | 'empty' | 'info',
    readonly label: string,
    readonly detail: string,
    readonly target?: OrgTarget,
    readonly command?: vscode.Command,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.detail;
    item.tooltip = this.detail;
    item.iconPath = new vscode.ThemeIcon(
      this.variant === 'error' ? 'error' : this.variant === 'empty' ? 'info' : 'info',
      this.variant === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.contextValue =
      this.variant === 'error' ? ContextValues.error : this.variant === 'empty' ? ContextValues.empty : ContextValues.info;
    item.command = this.command;
    return item;
  }
}
