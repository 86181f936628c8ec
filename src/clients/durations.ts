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
  return [...new Set(text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}

/** Checks redirect URIs: each must be an absolute URL. Returns a message or undefined. */
export function checkRedirectUris(uris: readonly string[]): string | undefined {
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return `"${uri}" is not an absolute URL (for example https://app.example.com/callback).`;
    }
    if (url.hash) {
      return `"${uri}" has a fragment (#…); redirect URIs cannot have one.`;
    }
  }
  return undefined;
}
