/**
 * `node out/bench/bundleSmoke.js <bundle.js>`: requests through the bundled extension's own API client
 * against the emulator. The bundle carries a trimmed undici (esbuild.js `undiciSlimPlugin`: compressed
 * SIMD parser, no non-SIMD parser, no HTTP/2, no FormData bodies); this proves the trimmed paths are
 * never taken by what the extension sends: GET, POST with JSON, POST with a form, PUT, DELETE.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extensionContext, installVscodeStub } from './vscodeStub';
import { reportResult } from './measure';
import { startEmulator } from '../emulator/index';

interface BundledClient {
  listClients(): Promise<{ client_id: string }[]>;
  createClient(request: unknown): Promise<{ client_id: string; client_secret?: string }>;
  getClient(id: string): Promise<{ client_name: string }>;
  rotateClientSecret(id: string): Promise<{ client_secret: string }>;
  getClientCredentialsToken(id: string, secret: string, scopes?: string[]): Promise<{ access_token: string }>;
  deleteClient(id: string): Promise<void>;
  getJwks(): Promise<{ keys: unknown[] }>;
}

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2] ?? '');
  const root = path.resolve(__dirname, '..', '..');
  installVscodeStub();
  // The services reach this check the way they reach the extension-host tests: test mode and our runner's variable.
  const context = { ...extensionContext(root, JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'))), extensionMode: 3 };
  process.env.SLASHID_EXTENSION_TEST_HOOKS = '1';
  const emulator = await startEmulator({ demo: true });
  const checks: Record<string, boolean> = {};
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const extension = require(bundle) as {
      activate(context: unknown): undefined | { orgApis: { forCandidate(url: string, org: string, key: string): Promise<BundledClient> } };
    };
    const services = extension.activate(context);
    if (!services) throw new Error('activate() gave no services in test mode with SLASHID_EXTENSION_TEST_HOOKS=1');
    const demo = emulator.demo!;
    const client = await services.orgApis.forCandidate(emulator.url, demo.orgId, demo.apiKey);

    const before = await client.listClients();
    checks['GET list'] = before.length === demo.clientIds.length;
    const created = await client.createClient({ client_name: 'Bundle smoke', scopes: ['smoke:read'], grant_types: ['client_credentials'] });
    checks['POST json'] = typeof created.client_secret === 'string' && created.client_secret.length > 0;
    checks['GET one'] = (await client.getClient(created.client_id)).client_name === 'Bundle smoke';
    const rotated = await client.rotateClientSecret(created.client_id);
    checks['PUT'] = rotated.client_secret.length > 0 && rotated.client_secret !== created.client_secret;
    const token = await client.getClientCredentialsToken(created.client_id, rotated.client_secret, ['smoke:read']);
    checks['POST form'] = token.access_token.startsWith('sid_at_');
    await client.deleteClient(created.client_id);
    checks['DELETE'] = !(await client.listClients()).some((c) => c.client_id === created.client_id);
    checks['GET jwks'] = (await client.getJwks()).keys.length > 0;
    // The requests went through the bundle's copy of undici, not node_modules/undici.
    checks['bundled undici only'] = !Object.keys(require.cache).some((id) => /[\\/]node_modules[\\/]undici[\\/]/.test(id));
  } finally {
    for (const d of context.subscriptions.splice(0).reverse()) d.dispose();
    await emulator.close();
  }
  reportResult({ checks });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
