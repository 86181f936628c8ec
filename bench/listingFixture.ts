/**
 * The listing workload shared by the listing and memory benchmarks: an in-process emulator holding
 * 5,000 clients in one org, listed the way the Clients view lists them (the org node's children from
 * the real `ClientsTreeProvider` and `ClientsModel`: `SlashIdClient.listClients()` and the sub-org
 * request, sorted by name, a tree item per client), and the floor: the same client list fetched with
 * undici's `request` and `JSON.parse`. Import `./withVscodeStub` before this module.
 */
import type * as vscode from 'vscode';
import { Pool } from 'undici';
import { startEmulator, type Emulator, type SeedClient } from '../emulator/index';
import { SlashIdClient } from '../src/slashid/client';
import { PoolRegistry } from '../src/slashid/poolRegistry';
import { ClientsModel } from '../src/clients/clientsModel';
import { ClientsTreeProvider } from '../src/clients/clientsTreeProvider';
import type { OrgApis } from '../src/orgs/orgApis';
import type { OrgConnections } from '../src/orgs/connections';
import { SecretVault } from '../src/orgs/secretVault';
import type { OrgTarget } from '../src/orgs/orgTarget';

export const CLIENT_COUNT = 5_000;
const ORG_ID = 'b3c1d2e4-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const API_KEY = 'benchmark-admin-key-0123456789abcdef';
const AREAS = ['billing', 'orders', 'search', 'reports', 'identity', 'analytics', 'payments'];

/** Clients as real organizations have them: mostly machine-to-machine, some web apps, a few public. */
function generatedClients(count: number): SeedClient[] {
  return Array.from({ length: count }, (_, i): SeedClient => {
    const area = AREAS[i % AREAS.length];
    const webApp = i % 3 === 0;
    const isPublic = webApp && i % 9 === 0;
    return {
      client_name: `${area} service ${String(i + 1).padStart(4, '0')}`,
      grant_types: webApp ? (isPublic ? ['authorization_code'] : ['authorization_code', 'client_credentials']) : ['client_credentials'],
      scopes: webApp ? ['openid', 'profile', 'email', `${area}:read`] : [`${area}:read`, `${area}:write`],
      public: isPublic,
      redirect_uris: webApp ? [`https://${area}-${i}.example.com/oauth/callback`, `http://localhost:${3000 + (i % 100)}/callback`] : [],
      access_token_duration: 3600 * (1 + (i % 24)),
      refresh_token_duration: 86400 * (1 + (i % 30)),
      ...(i % 2 === 0 ? { last_used: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() } : {}),
    };
  });
}

export interface ListingFixture {
  readonly emulator: Emulator;
  /** Lists through the extension's code and builds every tree item; returns the number of items. */
  readonly listThroughExtension: () => Promise<number>;
  /** The same request with undici `request` + `JSON.parse`; returns the number of clients. */
  readonly fetchFloor: () => Promise<number>;
  readonly close: () => Promise<void>;
}

export async function startListingFixture(): Promise<ListingFixture> {
  const emulator = await startEmulator({
    demo: false,
    seed: { orgs: [{ id: ORG_ID, api_key: API_KEY, name: 'Benchmark org' }], persons: [], clients: generatedClients(CLIENT_COUNT) },
  });
  const pools = new PoolRegistry();
  const client = new SlashIdClient({ baseUrl: emulator.url, orgId: ORG_ID, apiKey: () => API_KEY, pools });
  const target: OrgTarget = {
    connection: {
      id: `${ORG_ID}@local-emulator`,
      orgId: ORG_ID,
      name: 'Benchmark org',
      environment: 'emulator',
      baseUrl: emulator.url,
      addedAt: new Date(0).toISOString(),
    },
    orgId: ORG_ID,
  };
  // The view's own model, provider and vault; what they get from VS Code and the rest of the extension
  // is stood in for: the API client for the org, the one connection, SecretStorage and globalState.
  const noEvents = () => ({ dispose() {} });
  const stored = new Map<string, unknown>();
  const vault = new SecretVault(
    {
      onDidChange: noEvents,
      get: (key: string) => Promise.resolve(stored.get(key)),
      store: (key: string, value: string) => Promise.resolve(void stored.set(key, value)),
    } as unknown as vscode.SecretStorage,
    {
      get: (key: string, fallback: unknown) => stored.get(key) ?? fallback,
      update: (key: string, value: unknown) => Promise.resolve(void stored.set(key, value)),
    } as unknown as vscode.Memento,
  );
  const model = new ClientsModel({ forTarget: () => Promise.resolve(client) } as unknown as OrgApis);
  const provider = new ClientsTreeProvider(
    { onDidChange: noEvents, all: () => [target.connection], get: () => target.connection } as unknown as OrgConnections,
    vault,
    model,
  );
  let secretsStored = false;
  const orgNode = provider.orgNode(target);

  const floorPool = new Pool(emulator.url, { connections: 16 });
  const headers = { accept: 'application/json', 'user-agent': 'slashid-oauth2', 'SlashID-OrgID': ORG_ID, 'SlashID-API-Key': API_KEY };

  const fixture: ListingFixture = {
    emulator,
    listThroughExtension: async () => {
      model.invalidate(target); // what Refresh does
      const children = await provider.getChildren(orgNode);
      const items = children.map((node) => provider.getTreeItem(node));
      const clients = children.filter((node) => node.kind === 'client');
      if (clients.length !== CLIENT_COUNT)
        throw new Error(`listed ${clients.length} clients, expected ${CLIENT_COUNT}: ${String(items[0]?.description)}`);
      if (!secretsStored) {
        // Ten clients have their secret in the vault, as after creates or rotations.
        secretsStored = true;
        for (const node of clients.slice(0, 10)) await vault.storeClientSecret(target.connection.id, node.client.client_id, 'bench-secret');
      }
      return items.length;
    },
    fetchFloor: async () => {
      const response = await floorPool.request({ method: 'GET', path: '/oauth2/clients', headers });
      const json = JSON.parse(await response.body.text()) as { result: unknown[] };
      if (response.statusCode !== 200 || json.result.length !== CLIENT_COUNT) throw new Error(`floor got HTTP ${response.statusCode}`);
      return json.result.length;
    },
    close: async () => {
      model.dispose();
      provider.dispose();
      vault.dispose();
      await Promise.all([pools.close(), floorPool.close()]);
      await emulator.close();
    },
  };
  return fixture;
}
