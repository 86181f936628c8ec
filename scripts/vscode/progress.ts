/** Progress lines for the harness scripts: `[tag +12.3s] message`, timed from when the script started. */
const startedAt = Date.now();

export type ProgressLog = (message: string) => void;

export function progressLog(tag: string): ProgressLog {
  return (message) => {
    const elapsed = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(`[${tag} +${elapsed}s] ${message}`);
  };
}

/** Seconds since `since` (a `Date.now()` value), formatted for a summary line. */
export function secondsSince(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)}s`;
}
