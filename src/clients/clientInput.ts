import { validateUpdateClient } from '../slashid/requestValidation';
import { inertText } from '../slashid/untrustedText';

/** Parses a token lifetime typed by a person: `3600`, `90s`, `15m`, `24h`, `10d`. Seconds out. */
export function parseDurationInput(text: string): { seconds: number } | { error: string } {
  const match = /^\s*(\d+)\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)?\s*$/i.exec(text);
  if (!match) {
    return { error: 'Enter a whole number of seconds, or a number with s, m, h or d (for example 3600, 15m, 24h, 10d).' };
  }
  const n = Number(match[1]);
  const unit = (match[2] ?? 's').toLowerCase()[0];
  const factor = unit === 'd' ? 86400 : unit === 'h' ? 3600 : unit === 'm' ? 60 : 1;
  const seconds = n * factor;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    return { error: 'The lifetime must be a positive whole number of seconds.' };
  }
  if (seconds > 10 * 365 * 86400) {
    return { error: 'That is more than 10 years; enter a shorter lifetime.' };
  }
  return { seconds };
}

/** Splits a list typed as "a b, c" into trimmed, de-duplicated items. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Checks one field of a client as the API will (the core's request rules), for live validation in an
 * input box. Returns the first problem as a sentence, or undefined.
 */
export function checkClientField(field: 'redirect_uris' | 'scopes', values: readonly string[]): string | undefined {
  const problem = validateUpdateClient({ [field]: values }).find((p) => p.field.startsWith(field));
  if (!problem) {
    return undefined;
  }
  const index = /\[(\d+)\]/.exec(problem.field)?.[1];
  const which =
    index !== undefined ? `"${inertText(values[Number(index)], 200)}"` : field === 'scopes' ? 'The scopes' : 'The redirect URIs';
  return `${which} ${problem.message}.`;
}
