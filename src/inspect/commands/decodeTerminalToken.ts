import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import { decodeToken } from '../../tokens/decode';
import { maskToken } from '../../tokens/mask';
import { findTokens, type RecognizedTokenKind } from '../../tokens/recognize';
import { relativeTime } from '../../tokens/times';
import { inertText } from '../../slashid/untrustedText';
import { openTokenViewer, type OpenedToken } from '../openTokenViewer';

const KIND_LABELS: Record<RecognizedTokenKind, string> = {
  jwt: 'JWT',
  'opaque-access-token': 'SlashID access token',
  'opaque-refresh-token': 'SlashID refresh token',
};

/** Issuer and subject are shown up to this many characters each. */
const CLAIM_MAX = 80;

/**
 * "SlashID: Decode Token from Terminal": the keyboard's way to the terminal's token links (VS Code's
 * "Terminal: Open Detected Link" lists only its own kinds of links, not those of extensions). The tokens
 * printed in the active terminal, as the shell recorded them through shell integration (its command lines
 * and their output), most recent first, masked, with the issuer, subject and expiry of a JWT; the one
 * chosen opens in the token panel as its link does.
 */
export async function decodeTerminalToken(services: Services): Promise<OpenedToken | undefined> {
  const terminal = vscode.window.activeTerminal;
  if (!terminal) {
    throw new UserFacingError(
      'No terminal is open, so there is no output to look for tokens in; open the terminal that printed the token and try again.',
    );
  }
  const name = inertText(terminal.name);
  const tokens = tokensIn(services.shell.terminalTokens.candidates(terminal));
  if (tokens.length === 0) {
    void services.ui.info(
      terminal.shellIntegration === undefined
        ? `The terminal "${name}" has no shell integration, so SlashID cannot read what it printed; select the token in the terminal, copy it and run "SlashID: Decode Token".`
        : `No token was printed in the terminal "${name}" since SlashID started; print the token again (or select and copy it and run "SlashID: Decode Token").`,
    );
    return undefined;
  }
  const now = Date.now();
  const items = tokens.map(({ token, kind }) => ({
    label: maskToken(token),
    description: KIND_LABELS[kind],
    detail: summary(token, kind, now),
    token,
    tokenKind: kind,
  }));
  const picked = await services.ui.pick(items, {
    title: `Tokens printed in the terminal "${name}"`,
    placeholder: 'Pick the token to decode',
  });
  if (!picked) return undefined;
  return openTokenViewer(services, picked.token, {
    title: picked.tokenKind === 'jwt' ? 'Terminal JWT' : 'Terminal token',
    summary: 'From a terminal.',
  });
}

/** The recorded candidates that are tokens, most recent first. */
function tokensIn(candidates: readonly string[]): { token: string; kind: RecognizedTokenKind }[] {
  const found: { token: string; kind: RecognizedTokenKind }[] = [];
  const seen = new Set<string>();
  for (const candidate of [...candidates].reverse()) {
    for (const t of findTokens(candidate, { includeLongLines: true, maxTokens: 1 })) {
      if (seen.has(t.value)) continue;
      seen.add(t.value);
      found.push({ token: t.value, kind: t.kind });
    }
  }
  return found;
}

/** Issuer, subject (SlashID's access tokens name the person in `person_id`) and expiry of a JWT, inert and shortened; what can be said of an opaque token. */
function summary(token: string, kind: RecognizedTokenKind, now: number): string {
  if (kind !== 'jwt') return 'Opaque: introspect it to learn more.';
  const decoded = decodeToken(token);
  if (!decoded.ok) return decoded.message;
  const { iss, sub, exp, person_id: person } = decoded.payload as { iss?: unknown; sub?: unknown; exp?: unknown; person_id?: unknown };
  return [
    `issuer ${typeof iss === 'string' ? inertText(iss, CLAIM_MAX) : '(none)'}`,
    typeof sub === 'string'
      ? `subject ${inertText(sub, CLAIM_MAX)}`
      : typeof person === 'string'
        ? `person ${inertText(person, CLAIM_MAX)}`
        : 'no subject',
    typeof exp === 'number' && Number.isFinite(exp) ? relativeTime('exp', exp, now) : 'no expiry',
  ].join(' · ');
}
