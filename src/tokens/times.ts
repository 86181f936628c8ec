/**
 * Token times for people: the NumericDate claims (`exp`, `iat`, `nbf`, `auth_time`) as ISO UTC, as a
 * local time with its zone, and relative to now ("expires in 23 h", "expired 5 min ago"); and token
 * durations in human units ("1 day", "10 days"). `now` is injectable everywhere so tests are exact.
 *
 * Browser-safe: uses only `Intl` and `Date`.
 */

export const TIME_CLAIMS = ['exp', 'iat', 'nbf', 'auth_time'] as const;
export type TimeClaim = (typeof TIME_CLAIMS)[number];

export interface TimeOptions {
  /** The current time (a Date or epoch milliseconds). Default: the clock. */
  now?: Date | number;
  /** BCP 47 locale for the local time string. Default: the runtime's. */
  locale?: string;
  /** IANA time zone for the local time string. Default: the runtime's. */
  timeZone?: string;
}

export interface TimeClaimDescription {
  readonly claim: TimeClaim;
  /** The claim value: seconds since 1970-01-01T00:00:00Z. */
  readonly seconds: number;
  /** ISO 8601 UTC, without milliseconds when the value is whole seconds: `2024-05-01T12:00:00Z`. */
  readonly iso: string;
  /** Local date and time with the time zone name, e.g. `May 1, 2024, 2:00:00 PM GMT+2`. */
  readonly local: string;
  /** Relative to now, e.g. `expires in 23 h`, `expired 5 min ago`, `issued 2 min ago`. */
  readonly relative: string;
  /** Whether the time is after now. */
  readonly inFuture: boolean;
}

export interface TimeClaimProblem {
  readonly claim: TimeClaim;
  readonly message: string;
}

export interface TimeClaimsDescription {
  /** The time claims present and valid, in the order of TIME_CLAIMS. */
  readonly times: TimeClaimDescription[];
  /** Time claims present but not usable NumericDates. */
  readonly problems: TimeClaimProblem[];
}

const UNITS: readonly { seconds: number; one: string; many: string }[] = [
  { seconds: 86_400, one: 'day', many: 'days' },
  { seconds: 3_600, one: 'h', many: 'h' },
  { seconds: 60, one: 'min', many: 'min' },
  { seconds: 1, one: 's', many: 's' },
];

/** Largest NumericDate a JavaScript Date can show (8.64e15 ms). */
const MAX_DATE_SECONDS = 8.64e12;
/** NumericDates above this (year 5138) are almost always milliseconds by mistake. */
const LOOKS_LIKE_MILLISECONDS = 1e11;

/**
 * A duration in human units, the two largest non-zero adjacent units at most:
 * 45 -> "45 s", 90 -> "1 min 30 s", 3600 -> "1 h", 5400 -> "1 h 30 min", 86400 -> "1 day",
 * 90000 -> "1 day 1 h", 864000 -> "10 days". Negative values are formatted by their size.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'forever';
  let rest = Math.round(Math.abs(seconds));
  if (rest === 0) return '0 s';
  for (let i = 0; i < UNITS.length; i++) {
    const unit = UNITS[i];
    if (rest < unit.seconds) continue;
    const count = Math.floor(rest / unit.seconds);
    rest -= count * unit.seconds;
    const first = `${count} ${count === 1 ? unit.one : unit.many}`;
    const next = UNITS[i + 1];
    if (next === undefined) return first;
    const nextCount = Math.floor(rest / next.seconds);
    return nextCount === 0 ? first : `${first} ${nextCount} ${nextCount === 1 ? next.one : next.many}`;
  }
  return '0 s';
}

function nowMillis(now: Date | number | undefined): number {
  if (now === undefined) return Date.now();
  return typeof now === 'number' ? now : now.getTime();
}

/** ISO 8601 UTC of a NumericDate, dropping `.000` for whole seconds. */
export function isoFromSeconds(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localFormatter(locale: string | undefined, timeZone: string | undefined): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${timeZone ?? ''}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'long', timeZone });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Local date and time with the zone name, e.g. "May 1, 2024, 2:00:00 PM GMT+2". */
export function localFromSeconds(seconds: number, options: Pick<TimeOptions, 'locale' | 'timeZone'> = {}): string {
  return localFormatter(options.locale, options.timeZone).format(new Date(seconds * 1000));
}

/** How `claim` at `seconds` relates to now, in words. */
export function relativeTime(claim: TimeClaim, seconds: number, now?: Date | number): string {
  const deltaMs = seconds * 1000 - nowMillis(now);
  const inFuture = deltaMs > 0;
  const amount = Math.abs(deltaMs) < 1000 ? undefined : formatDuration(deltaMs / 1000);
  switch (claim) {
    case 'exp':
      if (inFuture) return amount === undefined ? 'expires in less than a second' : `expires in ${amount}`;
      return amount === undefined ? 'expired just now' : `expired ${amount} ago`;
    case 'nbf':
      if (inFuture) return amount === undefined ? 'valid in less than a second' : `not valid for another ${amount}`;
      return amount === undefined ? 'valid since just now' : `valid since ${amount} ago`;
    case 'iat':
      if (inFuture) return amount === undefined ? 'issued just now' : `issued ${amount} in the future (check the clocks)`;
      return amount === undefined ? 'issued just now' : `issued ${amount} ago`;
    case 'auth_time':
      if (inFuture) return amount === undefined ? 'authenticated just now' : `authenticated ${amount} in the future (check the clocks)`;
      return amount === undefined ? 'authenticated just now' : `authenticated ${amount} ago`;
  }
}

/** Why `value` is not a usable NumericDate, or undefined when it is one. */
export function numericDateProblem(claim: TimeClaim, value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `"${claim}" is not a NumericDate: expected a number of seconds since 1970, got ${describeType(value)}.`;
  }
  if (Math.abs(value) > MAX_DATE_SECONDS) {
    return `"${claim}" is out of range for a date.`;
  }
  if (value > LOOKS_LIKE_MILLISECONDS) {
    return `"${claim}" is ${value}, far in the future (year ${new Date(value * 1000).getUTCFullYear()}); it looks like milliseconds instead of seconds.`;
  }
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

/** One time claim in every form. `seconds` must be a valid NumericDate (see `numericDateProblem`). */
export function describeTimeClaim(claim: TimeClaim, seconds: number, options: TimeOptions = {}): TimeClaimDescription {
  const now = nowMillis(options.now);
  return {
    claim,
    seconds,
    iso: isoFromSeconds(seconds),
    local: localFromSeconds(seconds, options),
    relative: relativeTime(claim, seconds, now),
    inFuture: seconds * 1000 > now,
  };
}

/** Every time claim present in a payload, described; unusable values reported as problems. */
export function describeTimeClaims(payload: Readonly<Record<string, unknown>>, options: TimeOptions = {}): TimeClaimsDescription {
  const times: TimeClaimDescription[] = [];
  const problems: TimeClaimProblem[] = [];
  const resolved: TimeOptions = { ...options, now: nowMillis(options.now) };
  for (const claim of TIME_CLAIMS) {
    if (!Object.prototype.hasOwnProperty.call(payload, claim)) continue;
    const value = payload[claim];
    const problem = numericDateProblem(claim, value);
    if (problem !== undefined) problems.push({ claim, message: problem });
    else times.push(describeTimeClaim(claim, value as number, resolved));
  }
  return { times, problems };
}

/** The token's lifetime (`exp - iat`) in seconds, when both are numbers. */
export function tokenLifetime(payload: Readonly<Record<string, unknown>>): number | undefined {
  const { exp, iat } = payload;
  return typeof exp === 'number' && typeof iat === 'number' ? exp - iat : undefined;
}
