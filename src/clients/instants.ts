import { formatDuration, isoFromSeconds, localFromSeconds } from '../tokens/times';

export interface InstantDescription {
  readonly utc: string;
  readonly local: string;
  /** "3 days ago", "in 5 min", "just now". */
  readonly relative: string;
}

/** An API timestamp (ISO 8601) for people. An unparsable value is shown as it came. */
export function formatInstant(iso: string, now: number = Date.now()): InstantDescription {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) {
    return { utc: iso, local: iso, relative: iso };
  }
  const seconds = ms / 1000;
  const delta = (ms - now) / 1000;
  const relative = Math.abs(delta) < 1 ? 'just now' : delta > 0 ? `in ${formatDuration(delta)}` : `${formatDuration(delta)} ago`;
  return { utc: isoFromSeconds(Math.floor(seconds)), local: localFromSeconds(seconds), relative };
}
