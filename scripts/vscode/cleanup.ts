/**
 * Runs a script's main function so that whatever it started is stopped on every way out: normal end, thrown
 * error, Ctrl+C (SIGINT) and SIGTERM. Cleanups run last-registered first, each at most once.
 */
type Cleanup = () => Promise<void> | void;

const cleanups: { label: string; run: Cleanup }[] = [];
let cleaningUp: Promise<void> | undefined;

/** Registers `run` to be called when the script ends. */
export function onCleanup(label: string, run: Cleanup): void {
  cleanups.push({ label, run });
}

/** True once the script has begun stopping what it started (a process exiting then is expected). */
export function isShuttingDown(): boolean {
  return cleaningUp !== undefined;
}

export function runCleanups(): Promise<void> {
  cleaningUp ??= (async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop()!;
      try {
        await cleanup.run();
      } catch (error) {
        console.error(`cleanup "${cleanup.label}" failed:`, error);
      }
    }
  })();
  return cleaningUp;
}

/** Runs `main`, then the cleanups, then exits with the code `main` returned (1 if it threw). */
export function runMain(main: () => Promise<number>): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals, exitCode: number) => {
    if (signalled) return; // a second Ctrl+C while stopping: keep stopping
    signalled = true;
    console.error(`\n${signal}: stopping everything this script started…`);
    void runCleanups().finally(() => process.exit(exitCode));
  };
  process.on('SIGINT', () => onSignal('SIGINT', 130));
  process.on('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('SIGHUP', () => onSignal('SIGHUP', 129));

  main().then(
    async (code) => {
      await runCleanups();
      process.exit(code);
    },
    async (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : error);
      await runCleanups();
      process.exit(1);
    },
  );
}
