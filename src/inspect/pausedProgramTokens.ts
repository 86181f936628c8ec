import type { Services } from '../services';
import { maskToken } from '../tokens/mask';
import { inertLabel } from '../slashid/untrustedText';
import type { TokenInValue } from '../tokens/tokensInValues';
import { openTokenViewer, type OpenedToken } from './openTokenViewer';
import type { DebugSessions } from './debugSessions';
import { tokensInFocusedFrame } from './pausedPrograms';

const KIND_LABELS: Record<TokenInValue['kind'], string> = {
  jwt: 'JWT',
  'opaque-access-token': 'SlashID access token',
  'opaque-refresh-token': 'SlashID refresh token',
};

/**
 * The palette's way to the "selected variable", which VS Code's API does not expose: the tokens held by
 * the variables of the focused frame (`debug.activeStackItem`), offered in a quick pick.
 */
export async function pickTokenOfPausedProgram(
  services: Services,
  programs: DebugSessions,
): Promise<OpenedToken | 'not-paused' | 'none' | undefined> {
  const found = await tokensInFocusedFrame(programs);
  if (!found) return 'not-paused';
  if (found.tokens.length === 0) return 'none';
  const chosen = await pickToken(services, found.tokens, 'the paused frame');
  if (!chosen) return undefined;
  return openTokenViewer(services, chosen.token, {
    title: inertLabel(chosen.path),
    summary: `From ${inertLabel(chosen.path)} in the paused frame of "${inertLabel(found.session.name)}", read in full by the debugger.`,
  });
}

export async function pickToken(services: Services, tokens: readonly TokenInValue[], where: string): Promise<TokenInValue | undefined> {
  const items = tokens.map((t) => ({
    label: t.path === '' ? '(the value itself)' : inertLabel(t.path),
    description: KIND_LABELS[t.kind],
    detail: maskToken(t.token),
    token: t,
  }));
  const picked = await services.ui.pick(items, {
    title: `Tokens in ${where}`,
    placeholder: 'Pick the token to decode',
  });
  return picked?.token;
}
