import type { Services } from '../../services';
import { decodeToken } from '../../tokens/decode';
import { looksLikeSlashIdToken, readTokenInput } from '../tokenSource';
import { openTokenViewer, type OpenedToken } from '../openTokenViewer';
import type { DebugSessions } from '../debugSessions';
import { pickTokenOfPausedProgram } from '../pausedProgramTokens';

export type DecodeTokenResult = OpenedToken;

/**
 * "SlashID: Decode Token": the selection, the token under the cursor, a token held by the paused
 * program's variables (offered in a quick pick), the clipboard or a typed token, decoded and verified
 * (when its issuer is a connected org or the emulator) in the same cards as the minter's results. Text
 * that is not a token gets a message saying exactly why.
 */
export async function decodeTokenCommand(
  services: Services,
  programs: DebugSessions,
  argument?: unknown,
): Promise<DecodeTokenResult | undefined> {
  let fromDebugger: OpenedToken | undefined;
  const input = await readTokenInput({
    beforeClipboard: async () => {
      const picked = await pickTokenOfPausedProgram(services, programs);
      if (picked === 'not-paused' || picked === 'none') return 'skip';
      fromDebugger = picked;
      return 'handled';
    },
    argument,
    accept: looksLikeSlashIdToken,
    prompt: 'Paste a JWT (or "Bearer <jwt>", or an opaque sid_at_/sid_rt_ token) to decode',
    placeHolder: 'eyJhbGciOi…',
    validate: (text) => {
      const trimmed = text.trim();
      if (/^(?:bearer\s+)?sid_(?:at|rt)_/i.test(trimmed)) return undefined;
      const decoded = decodeToken(trimmed);
      return decoded.ok ? undefined : decoded.message;
    },
  });
  if (!input) return fromDebugger;
  return openTokenViewer(services, input.token, {
    title: 'Decoded token',
    summary: `From the ${input.source === 'input' ? 'text you entered' : input.source}.`,
  });
}
