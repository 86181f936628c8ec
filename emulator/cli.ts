/**
 * `npm run emulator -- [--port N] [--seed FILE] [--state FILE] [--demo-api-key KEY] [--control-key KEY] [--clients N] [--browser-host H:P]…`
 *
 * Starts the local SlashID emulator on 127.0.0.1 and prints its URL (first line:
 * `SlashID emulator listening on http://127.0.0.1:PORT`). Exit codes: 0 after SIGINT/SIGTERM, 2 for bad
 * arguments or an invalid seed file, 1 when it cannot start (port taken, unreadable state file).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEMO_CLIENTS, DEMO_ORG_ID, DEMO_ORG_NAME, DEMO_PERSONS, DEMO_SUB_ORG_NAME } from './demo';
import { CONTROL_KEY_HEADER, SeedError, parseSeed, startEmulator } from './index';
import { parseBrowserHost } from './requestGuard';
import type { EmulatorOptions, EmulatorSeed, SeedClient } from './types';

export const DEFAULT_PORT = 4010;

const USAGE = `Usage: npm run emulator -- [options]

Runs a local SlashID API emulator on 127.0.0.1.

Options:
  --port N            Port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --seed FILE         JSON seed: {"orgs": [{"id", "api_key", "parent_id"?, "name"?, "role"?}],
                      "persons": [{"person_id", "org_id", "handles"?, "roles"?}], "clients"?: [...]}.
                      IDs are lower-case UUIDs. Without --seed the demo org is loaded.
  --state FILE        Keep the state in this JSON file (written atomically; loaded when present)
  --demo-api-key KEY  Fixed API key for the demo org (default: a new random one each start)
  --control-key KEY   Fixed control key for the test-only /__emulator/ routes (the demo org's
                      credentials, faults, the request log), sent in the SlashID-Emulator-Key header
                      (default: a new random one each start, printed below; at least 16 characters)
  --clients N         Also add N generated client-credentials clients to the first org (benchmarks)
  --browser-host H:P  Also serve the sign-in page (GET /oauth2/authorize only) at this address: where
                      your editor forwards the emulator to the browser, e.g. code-server's own
                      host:port for its /proxy/<port>/ path. May be given more than once.
  -h, --help          Show this help
`;

class UsageError extends Error {}

interface CliOptions {
  port: number;
  seedFile?: string;
  stateFile?: string;
  demoApiKey?: string;
  controlKey?: string;
  extraClients: number;
  browserHosts: string[];
}

function parseCli(argv: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        state: { type: 'string' },
        'demo-api-key': { type: 'string' },
        'control-key': { type: 'string' },
        clients: { type: 'string' },
        'browser-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const port = v.port === undefined ? DEFAULT_PORT : Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (v.port !== undefined && !/^\d+$/.test(v.port))) {
    throw new UsageError(`--port must be an integer from 0 to 65535, not ${JSON.stringify(v.port)}`);
  }
  const controlKey = v['control-key'];
  if (controlKey !== undefined && !/^[\x21-\x7e]{16,200}$/.test(controlKey)) {
    throw new UsageError('--control-key must be 16 to 200 printable characters without spaces');
  }
  const extraClients = v.clients === undefined ? 0 : Number(v.clients);
  if (!Number.isInteger(extraClients) || extraClients < 0 || extraClients > 1_000_000) {
    throw new UsageError(`--clients must be an integer from 0 to 1000000, not ${JSON.stringify(v.clients)}`);
  }
  const browserHosts = (v['browser-host'] ?? []).map((host) => {
    try {
      return parseBrowserHost(host);
    } catch (err) {
      throw new UsageError(`--browser-host: ${(err as Error).message}`);
    }
  });
  return {
    port,
    extraClients,
    browserHosts,
    ...(v.seed !== undefined ? { seedFile: v.seed } : {}),
    ...(v.state !== undefined ? { stateFile: v.state } : {}),
    ...(v['demo-api-key'] !== undefined ? { demoApiKey: v['demo-api-key'] } : {}),
    ...(controlKey !== undefined ? { controlKey } : {}),
  };
}

function readSeedFile(file: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`Cannot read the seed file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`The seed file ${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseSeed(json);
  } catch (err) {
    if (err instanceof SeedError) {
      throw new UsageError(`Invalid seed file ${file}: field ${err.field}: ${err.problem}`);
    }
    throw err;
  }
}

function generatedClients(count: number, orgId: string | undefined): SeedClient[] {
  return Array.from({ length: count }, (_, i) => ({
    ...(orgId !== undefined ? { org_id: orgId } : {}),
    client_name: `Generated client ${String(i + 1).padStart(String(count).length, '0')}`,
    grant_types: ['client_credentials'],
    scopes: ['generated:read'],
  }));
}

async function main(): Promise<number> {
  let cli: CliOptions | 'help';
  let seed: EmulatorSeed | undefined;
  try {
    cli = parseCli(process.argv.slice(2));
    if (cli === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    seed = cli.seedFile !== undefined ? readSeedFile(cli.seedFile) : undefined;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`slashid-emulator: ${err.message}`);
      console.error('Run with --help for usage.');
      return 2;
    }
    throw err;
  }
  const options: EmulatorOptions = { port: cli.port };
  if (cli.stateFile !== undefined) options.stateFile = cli.stateFile;
  if (cli.demoApiKey !== undefined) options.demoApiKey = cli.demoApiKey;
  if (cli.controlKey !== undefined) options.controlKey = cli.controlKey;
  if (seed) {
    options.seed =
      cli.extraClients > 0 ? { ...seed, clients: [...(seed.clients ?? []), ...generatedClients(cli.extraClients, undefined)] } : seed;
  } else if (cli.extraClients > 0) {
    options.demo = true;
    options.seed = { orgs: [], persons: [], clients: generatedClients(cli.extraClients, DEMO_ORG_ID) };
  }

  let emulator;
  try {
    emulator = await startEmulator(options);
  } catch (err) {
    console.error(`slashid-emulator: cannot start: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof SeedError ? 2 : 1;
  }
  for (const host of cli.browserHosts) emulator.allowBrowserHost(host);

  const lines = [`SlashID emulator listening on ${emulator.url}`];
  lines.push(`  state:   ${cli.stateFile ?? 'in memory'}`);
  lines.push(
    `  control key: ${emulator.controlKey ?? ''}  (header ${CONTROL_KEY_HEADER} on /__emulator/demo, /faults, /requests; VS Code asks for it when slashid.localEmulator.url points here)`,
  );
  if (cli.browserHosts.length > 0) lines.push(`  sign-in page also at: ${cli.browserHosts.join(', ')}`);
  const demo = emulator.demo;
  if (demo) {
    lines.push(`  org:     ${demo.orgId}  (${DEMO_ORG_NAME})`);
    lines.push(`  sub-org: ${demo.subOrgId}  (${DEMO_SUB_ORG_NAME})`);
    lines.push(`  API key: ${demo.apiKey}  (admin; works for the org and the sub-org)`);
    lines.push('  clients:');
    for (const c of DEMO_CLIENTS) {
      lines.push(
        `    ${c.client_id}  ${c.client_name ?? ''}  [${(c.grant_types ?? []).join(', ')}]${c.org_id === demo.subOrgId ? '  (sub-org)' : ''}`,
      );
    }
    lines.push('  persons:');
    for (const p of DEMO_PERSONS) {
      lines.push(`    ${p.person_id}  ${p.handles[0].value}${p.org_id === demo.subOrgId ? '  (sub-org)' : ''}`);
    }
    lines.push('  Client secrets are not shown: rotate a secret to get one.');
  }
  if (seed) {
    lines.push(`  seeded orgs (API keys as in ${cli.seedFile}):`);
    for (const org of seed.orgs) {
      lines.push(`    ${org.id}${org.parent_id ? `  (child of ${org.parent_id})` : ''}${org.role === 'member' ? '  (member key)' : ''}`);
    }
    lines.push(`  seeded persons: ${seed.persons.length}, seeded clients: ${seed.clients?.length ?? 0}`);
  } else if (cli.extraClients > 0) {
    lines.push(`  generated clients: ${cli.extraClients} (in the demo org)`);
  }
  lines.push(`  issuer:  ${emulator.url}  (discovery: ${emulator.url}/.well-known/openid-configuration)`);
  lines.push(`  sign-in: ${emulator.url}/oauth2/authorize  (login_hint=<person ID or email_address:…> signs in at once)`);
  lines.push('Press Ctrl+C to stop.');
  process.stdout.write(`${lines.join('\n')}\n`);

  const running = emulator;
  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`Received ${signal}, stopping…\n`);
      running.close().then(
        () => resolve(0),
        (err: unknown) => {
          console.error(`slashid-emulator: error while stopping: ${err instanceof Error ? err.message : String(err)}`);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    if (code !== 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(`slashid-emulator: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
