import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { CONNECTIONS_STATE_KEY } from '../shell/contributions';

export type Environment = 'production' | 'sandbox' | 'emulator' | 'custom';

/** A connected SlashID organization. Nothing here is secret: the API key lives in SecretStorage. */
export interface OrgConnection {
  /** Stable key for this connection, see `connectionId()`. */
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly environment: Environment;
  /** The API base URL, no trailing slash. For the emulator, the URL it had when last connected. */
  readonly baseUrl: string;
  readonly addedAt: string;
}

/**
 * The connection's key. The local emulator's URL changes with its port, so its connections are keyed
 * by org alone and reach whatever emulator is running (see `LocalEmulatorHost`).
 */
export function connectionId(orgId: string, environment: Environment, baseUrl: string): string {
  return environment === 'emulator' ? `${orgId}@local-emulator` : `${orgId}@${baseUrl}`;
}

function isConnection(value: unknown): value is OrgConnection {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return ['id', 'orgId', 'name', 'environment', 'baseUrl', 'addedAt'].every((k) => typeof v[k] === 'string');
}

/**
 * The connected organizations, kept in `globalState` (non-secret data only), read afresh on every call.
 * Fires `onDidChange` after every change this window makes.
 */
export class OrgConnections extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this._onDidChange.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  all(): OrgConnection[] {
    const raw = this.memento.get<unknown[]>(CONNECTIONS_STATE_KEY, []);
    return Array.isArray(raw) ? raw.filter(isConnection) : [];
  }

  get(id: string): OrgConnection | undefined {
    return this.all().find((c) => c.id === id);
  }

  async add(connection: OrgConnection): Promise<void> {
    const others = this.all().filter((c) => c.id !== connection.id);
    await this.memento.update(CONNECTIONS_STATE_KEY, [...others, connection]);
    this._onDidChange.fire();
  }

  async rename(id: string, name: string): Promise<void> {
    await this.memento.update(
      CONNECTIONS_STATE_KEY,
      this.all().map((c) => (c.id === id ? { ...c, name } : c)),
    );
    this._onDidChange.fire();
  }

  async remove(id: string): Promise<void> {
    await this.memento.update(
      CONNECTIONS_STATE_KEY,
      this.all().filter((c) => c.id !== id),
    );
    this._onDidChange.fire();
  }
}
