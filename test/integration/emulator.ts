/** The emulator the suites start themselves, on a free loopback port, in this extension host. */
import { startEmulator, type Emulator } from '../../emulator/index';

export async function startTestEmulator(): Promise<Emulator & { demo: NonNullable<Emulator['demo']> }> {
  const emulator = await startEmulator({ port: 0, demo: true });
  // The extension reads the demo org from the keyed GET /__emulator/demo with this key, as `npm start` gives it.
  process.env.SLASHID_EMULATOR_KEY = emulator.controlKey;
  if (!emulator.demo) {
    await emulator.close();
    throw new Error('the emulator started without its demo organization');
  }
  return emulator as Emulator & { demo: NonNullable<Emulator['demo']> };
}

/** GET against the emulator with the demo org's credentials, as a SlashID API user would. */
export async function listClientsDirectly(
  emulator: Emulator & { demo: NonNullable<Emulator['demo']> },
): Promise<{ client_id: string; client_name: string }[]> {
  const response = await fetch(`${emulator.url}/oauth2/clients`, {
    headers: { 'SlashID-OrgID': emulator.demo.orgId, 'SlashID-API-Key': emulator.demo.apiKey },
  });
  if (!response.ok) throw new Error(`GET /oauth2/clients answered ${response.status}`);
  const body = (await response.json()) as { result: { client_id: string; client_name: string }[] };
  return body.result;
}
