import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import type { Logger } from '../common/logger';
import type { SlashIdClient, RequestLogEntry, RecordedRequest } from '../slashid/client';
import { MissingApiKeyError } from '../slashid/errors';
import type { OrgConnections } from './connections';
import type { SecretVault } from './secretVault';
import type { OrgTarget } from './orgTarget';
import type { LocalEmulatorHost } from '../emulatorHost/localEmulatorHost';
import { UserFacingError } from '../common/failures';

/**
 * Hands out one `SlashIdClient` per org target. The API key is read from SecretStorage on each
 * request (never cached here), so a replaced key takes effect at once.
 */
export class OrgApis extends Disposable {
  private readonly clients = new Map<string, SlashIdClient>();
  private _lastRequest: RecordedRequest | undefined;

  constructor(
    private readonly connections: OrgConnections,
    private readonly vault: SecretVault,
    private readonly log: Logger,
    private readonly emulator: LocalEmulatorHost,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('slashid.requestTimeout')) {
          this.clients.clear();
        }
      }),
    );
    this._register(connections.onDidChange(() => this.clients.clear()));
  }

  /** The last request any command made, for "Copy Last Request as curl" (secrets already redacted). */
  get lastRequest(): RecordedRequest | undefined {
    return this._lastRequest;
  }

  async forTarget(target: OrgTarget): Promise<SlashIdClient> {
    const { SlashIdClient } = await loadApiCore();
    const { connection } = target;
    let baseUrl = connection.baseUrl;
    if (connection.environment === 'emulator') {
      const url = this.emulator.currentUrl();
      if (!url) {
        throw new UserFacingError(
          `"${connection.name}" lives in the local SlashID emulator, which is not running. Run "SlashID: Start Local Emulator".`,
        );
      }
      baseUrl = url;
    }
    return this.clientFor(SlashIdClient, connection.id, baseUrl, target.orgId);
  }

  /** A client for a base URL and key that are not connected yet (the Connect flow checks the key with it). */
  async forCandidate(baseUrl: string, orgId: string, apiKey: string): Promise<SlashIdClient> {
    const { SlashIdClient } = await loadApiCore();
    return this.create(SlashIdClient, baseUrl, orgId, () => Promise.resolve(apiKey));
  }

  private clientFor(Client: typeof SlashIdClient, connectionId: string, baseUrl: string, orgId: string): SlashIdClient {
    const key = `${connectionId}#${orgId}#${baseUrl}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.create(Client, baseUrl, orgId, async () => {
        const apiKey = await this.vault.getApiKey(connectionId);
        if (!apiKey) {
          throw new MissingApiKeyError(this.connections.get(connectionId)?.name ?? orgId);
        }
        return apiKey;
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** The 'slashid.requestTimeout' setting in milliseconds: the API clients' and the JWKS fetches' deadline. */
  requestTimeoutMs(): number {
    const seconds = vscode.workspace.getConfiguration('slashid').get<number>('requestTimeout', 15);
    return Math.max(1, seconds) * 1000;
  }

  private create(Client: typeof SlashIdClient, baseUrl: string, orgId: string, apiKey: () => Promise<string>): SlashIdClient {
    return new Client({
      baseUrl,
      orgId,
      apiKey,
      timeoutMs: this.requestTimeoutMs(),
      userAgent: 'slashid-oauth2-vscode',
      log: (entry: RequestLogEntry) => this.onRequest(entry),
    });
  }

  private onRequest(entry: RequestLogEntry): void {
    const status = entry.status ?? entry.error ?? 'failed';
    const retry = entry.attempt > 1 ? ` (attempt ${entry.attempt})` : '';
    this.log.info('http', `${entry.method} ${entry.path} → ${status} in ${Math.round(entry.durationMs)} ms${retry}`);
    if (entry.request) {
      this._lastRequest = entry.request;
    }
  }
}

/**
 * The API core (its zod schemas are built when the module loads) is loaded on the first request, not at
 * activation: esbuild keeps a dynamically imported module's top-level code until the import runs.
 */
function loadApiCore(): Promise<typeof import('../slashid/client.js')> {
  return import('../slashid/client.js');
}
