import { EMULATOR_CONTROL_KEY_HEADER } from '../slashid/contract';
import * as z from 'zod/mini';
import { UserFacingError } from '../common/failures';
import type { EmulatorDemo } from './emulatorDemo';

const DemoAnswer = z.object({ result: z.object({ org_id: z.string().check(z.minLength(1)), api_key: z.string().check(z.minLength(1)) }) });

/** What `fetchExternalDemo` answers when the emulator wants its control key (401) and `controlKey` was not it. */
export const NEEDS_CONTROL_KEY = Symbol('needs the control key');

/**
 * The demo org of an emulator started outside VS Code (`slashid.localEmulator.url`), from its
 * `GET /__emulator/demo`, which needs the control key that `npm run emulator` prints.
 */
export async function fetchExternalDemo(url: string, controlKey: string | undefined): Promise<EmulatorDemo | typeof NEEDS_CONTROL_KEY> {
  const notEmulator = `The server at ${url} (setting slashid.localEmulator.url) did not describe a demo organization: it does not look like a SlashID emulator started with "npm run emulator".`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}/__emulator/demo`, {
      signal: AbortSignal.timeout(5000),
      ...(controlKey ? { headers: { [EMULATOR_CONTROL_KEY_HEADER]: controlKey } } : {}),
    });
    text = await response.text();
  } catch (err) {
    throw new UserFacingError(
      `The local emulator at ${url} (setting slashid.localEmulator.url) did not answer (${err instanceof Error ? err.message : String(err)}). Start it with "npm run emulator" or clear the setting.`,
    );
  }
  if (response.status === 401) {
    return NEEDS_CONTROL_KEY;
  }
  if (!response.ok) {
    throw new UserFacingError(`${notEmulator} It answered HTTP ${response.status}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UserFacingError(`${notEmulator} Its answer is not JSON.`);
  }
  const parsed = DemoAnswer.safeParse(json);
  if (!parsed.success) {
    throw new UserFacingError(notEmulator);
  }
  return { url, orgId: parsed.data.result.org_id, apiKey: parsed.data.result.api_key };
}
