/**
 * The local SlashID API emulator: node:http + jose, no VS Code. `startEmulator()` is the one entry point;
 * the CLI (`emulator/cli.ts`) and the extension's emulator host both use it.
 */
import { randomBytes } from 'node:crypto';
import { applyDemo, randomDemoApiKey } from './demo';
import { FaultRegistry } from './faults';
import { applySeed, parseSeed } from './seed';
import { EmulatorServer } from './server';
import { SsoLogins } from './ssoLogins';
import { EmulatorState } from './state';
import { RequestLog } from './requestLog';
import type { Emulator, EmulatorDemoInfo, EmulatorOptions } from './types';

export type {
  ApiKeyRole,
  Emulator,
  EmulatorDemoInfo,
  EmulatorOptions,
  EmulatorSeed,
  Fault,
  FaultController,
  GrantType,
  OAuth2Client,
  RecordedRequest,
  RouteKey,
  SeedClient,
  SeedOrg,
  SeedPerson,
  SsoLoginInput,
  SsoProvider,
} from './types';
export { CONTROL_KEY_HEADER, SSO_PROVIDERS } from './types';
export { DEMO_CLIENTS, DEMO_ORG_ID, DEMO_ORG_NAME, DEMO_PERSONS, DEMO_SUB_ORG_ID, DEMO_SUB_ORG_NAME } from './demo';
export { SeedError, parseSeed } from './seed';
export { SsoLoginError } from './ssoLogins';
export { StateFileError } from './stateFile';
export { StateFileFormatError } from './state';
export { InvalidFaultError } from './faults';
export { ROUTE_KEYS } from './server';

/**
 * Starts an emulator on 127.0.0.1. With `stateFile`, the state (orgs, persons, clients with hashed
 * secrets, tokens, SSO logins and the signing key) is loaded from it when it exists and written back
 * atomically after every change. Throws SeedError for a bad seed, StateFileError/StateFileFormatError
 * for an unreadable state file, and the listen error (e.g. EADDRINUSE) when the port is taken.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { state } = await EmulatorState.open(options.stateFile);
  let demo: EmulatorDemoInfo | undefined;
  if (options.demo ?? options.seed === undefined) {
    demo = applyDemo(state, options.demoApiKey ?? randomDemoApiKey());
  }
  if (options.seed !== undefined) {
    // Checked against the orgs already known too (state file, demo), so a seed may refer to them.
    applySeed(state, parseSeed(options.seed, new Set(state.orgs.keys())));
  }
  await state.persist();

  const faults = new FaultRegistry();
  const requests = new RequestLog();
  let baseUrl = '';
  const ssoLogins = new SsoLogins(state, () => baseUrl);
  if (options.controlKey !== undefined && options.controlKey.length < 16) {
    throw new TypeError('controlKey must be at least 16 characters');
  }
  const controlKey =
    options.controlRoutes === 'off' ? undefined : (options.controlKey ?? `emuctl_${randomBytes(24).toString('base64url')}`);
  const server = new EmulatorServer({ state, faults, requests, ssoLogins, demo, controlKey });
  baseUrl = await server.listen(options.port ?? 0);
  const port = Number(new URL(baseUrl).port);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    ...(demo ? { demo } : {}),
    ...(controlKey !== undefined ? { controlKey } : {}),
    faults,
    requests: requests.entries,
    stored: () => ({ codes: state.codes.size, tokens: state.tokens.size, ssoLogins: state.ssoLogins.size }),
    createSsoLogin: (input) => ssoLogins.create(input),
    allowBrowserHost: (host) => server.allowBrowserHost(host),
    close: () =>
      (closing ??= (async () => {
        await server.close();
        await state.flush();
      })()),
  };
}
