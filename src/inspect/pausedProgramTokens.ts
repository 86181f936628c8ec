import type { Services } from '../services';
import { maskToken } from '../tokens/mask';
import { inertLabel } from '../slashid/untrustedText';
import type { TokenInValue } from '../tokens/tokensInValues';
import { openTokenViewer, type OpenedToken } from './openTokenViewer';
import type { DebugSessions } from './debugSessions';
import { readInFull, tokensInFocusedFrame, type FrameToken } from './pausedPrograms';

const KIND_LABELS: Record<TokenInValue['kind'], string> = {
  jwt: 'JWT',
  'opaque-access-token': 'SlashID access token',
  'opaque-refresh-token': 'SlashID refresh token',
};

/**
 * The palette's way to the "selected variable", which VS Code's API does not expose: the tokens the
 * focused frame's scopes show (`debug.activeStackItem`), offered in a quick pick. Only the values the
 * debugger already read are looked at (no object expanded, no getter run, nothing evaluated); the token
 * picked, and only it, is then read in full as Decode Token on a variable reads it.
 */
export async function pickTokenOfPausedProgram(
  services: Services,
  programs: DebugSessions,
): Promise<OpenedToken | 'not-paused' | 'none' | undefined> {
  const found = await tokensInFocusedFrame(programs);
  if (!found) return 'not-paused';
  if (found.tokens.length === 0) return 'none';
  const chosen = await pickFrameToken(services, found.tokens);
  if (!chosen) return undefined;
  const where = `${inertLabel(chosen.path)} in the paused frame of "${inertLabel(found.session.name)}"`;
  const whole = await readInFull(programs, found.session, found.frameId, chosen);
  if (!whole) {
    void services.ui.warn(
      `The value of ${where} is shown shortened and the debugger could not read it in full; run Decode Token on the variable in the Variables or Watch view.`,
    );
    return undefined;
  }
  return openTokenViewer(services, whole.token, {
    title: inertLabel(chosen.path),
    summary: `From ${where}, ${whole.how}.`,
  });
}

async function pickFrameToken(services: Services, tokens: readonly FrameToken[]): Promise<FrameToken | undefined> {
  const items = tokens.map((t) => ({
    label: inertLabel(t.path),
    description: KIND_LABELS[t.kind],
    detail: t.cut ? 'Shown shortened by the debugger: read in full when picked' : maskToken(t.token),
    token: t,
  }));
  const picked = await services.ui.pick(items, { title: 'Tokens in the paused frame', placeholder: 'Pick the token to decode' });
  return picked?.token;
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
