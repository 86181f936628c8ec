import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

const API_KEY_PREFIX = 'slashid.apiKey/';
const CLIENT_SECRET_PREFIX = 'slashid.clientSecret/';
const INDEX_KEY = 'slashid.clientSecretIndex.v1';

/**
 * API keys and client secrets, in VS Code SecretStorage only, keyed by org connection and client.
 *
 * SecretStorage cannot list its keys, so the *names* of stored client secrets (connection id and
 * client id, nothing secret) are indexed in `globalState`; the tree reads the index to show which
 * clients have a secret stored locally without a SecretStorage round trip per client.
 */
export class SecretVault extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<{ connectionId: string; clientId?: string }>());
  /** Fires when a key or secret changes, in this window or another one. */
  readonly onDidChange = this._onDidChange.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly memento: vscode.Memento,
  ) {
    super();
    this._register(secrets.onDidChange((e) => void this.onSecretChanged(e.key)));
  }

  getApiKey(connectionId: string): Thenable<string | undefined> {
    return this.secrets.get(API_KEY_PREFIX + connectionId);
  }

  async storeApiKey(connectionId: string, apiKey: string): Promise<void> {
    await this.secrets.store(API_KEY_PREFIX + connectionId, apiKey);
  }

  getClientSecret(connectionId: string, clientId: string): Thenable<string | undefined> {
    return this.secrets.get(clientSecretKey(connectionId, clientId));
  }

  async storeClientSecret(connectionId: string, clientId: string, secret: string): Promise<void> {
    await this.secrets.store(clientSecretKey(connectionId, clientId), secret);
    await this.updateIndex(connectionId, clientId, true);
  }

  async deleteClientSecret(connectionId: string, clientId: string): Promise<void> {
    await this.secrets.delete(clientSecretKey(connectionId, clientId));
    await this.updateIndex(connectionId, clientId, false);
  }

  hasClientSecret(connectionId: string, clientId: string): boolean {
    return this.index()[connectionId]?.includes(clientId) ?? false;
  }

  /** The IDs of the connection's clients with a stored secret: one index read for a whole list. */
  clientsWithSecret(connectionId: string): ReadonlySet<string> {
    return new Set(this.index()[connectionId]);
  }

  /** Removes the connection's API key and every client secret stored for it. */
  async forgetConnection(connectionId: string): Promise<void> {
    const clientIds = this.index()[connectionId] ?? [];
    for (const clientId of clientIds) {
      await this.secrets.delete(clientSecretKey(connectionId, clientId));
    }
    await this.secrets.delete(API_KEY_PREFIX + connectionId);
    const index = { ...this.index() };
    delete index[connectionId];
    await this.memento.update(INDEX_KEY, index);
  }

  private index(): Record<string, string[]> {
    const raw = this.memento.get<Record<string, string[]>>(INDEX_KEY, {});
    return typeof raw === 'object' && raw !== null ? raw : {};
  }

  private async updateIndex(connectionId: string, clientId: string, present: boolean): Promise<void> {
    const index = { ...this.index() };
    const ids = new Set(index[connectionId] ?? []);
    if (present === ids.has(clientId)) {
      return;
    }
    if (present) {
      ids.add(clientId);
    } else {
      ids.delete(clientId);
    }
    index[connectionId] = [...ids];
    await this.memento.update(INDEX_KEY, index);
    this._onDidChange.fire({ connectionId, clientId });
  }

  private async onSecretChanged(key: string): Promise<void> {
    if (key.startsWith(API_KEY_PREFIX)) {
      this._onDidChange.fire({ connectionId: key.slice(API_KEY_PREFIX.length) });
      return;
    }
    if (!key.startsWith(CLIENT_SECRET_PREFIX)) {
      return;
    }
    const rest = key.slice(CLIENT_SECRET_PREFIX.length);
    const slash = rest.lastIndexOf('/');
    if (slash < 0) {
      return;
    }
    const connectionId = rest.slice(0, slash);
    const clientId = rest.slice(slash + 1);
    // Another window may have stored or deleted it: look, then update the index.
    const present = (await this.secrets.get(key)) !== undefined;
    await this.updateIndex(connectionId, clientId, present);
    this._onDidChange.fire({ connectionId, clientId });
  }
}

function clientSecretKey(connectionId: string, clientId: string): string {
  return `${CLIENT_SECRET_PREFIX}${connectionId}/${clientId}`;
}
