/**
 * Long-running helpers (code-server, the emulator CLI) run in their own process group, so that one signal to the
 * group stops them and every child they started, and so that Ctrl+C in the terminal reaches only our script, which
 * then stops the groups it owns, each by its own PGID.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface ProcessGroup {
  /** PID of the group leader, which is also the PGID. */
  readonly pid: number;
  /** Resolves with the leader's exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  readonly hasExited: () => boolean;
  /** SIGTERM to the group, then SIGKILL to what is left after `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface ProcessGroupOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
}

/** PGIDs still running, killed with SIGKILL if this process exits without stopping them (last resort). */
const liveGroups = new Set<number>();
process.on('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

export function startProcessGroup(command: string, args: readonly string[], options: ProcessGroupOptions): ProcessGroup {
  const log = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true, // setsid(): the child leads a new process group
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command} (see ${options.logFile})`);
  liveGroups.add(pid);
  let exited = false;
  const exitedPromise = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      exited = true;
      resolve(code);
    });
    child.once('error', () => {
      exited = true;
      resolve(null);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 5000): Promise<void> => {
    stopping ??= (async () => {
      signalGroup(pid, 'SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      await Promise.race([exitedPromise, timer]);
      // The leader may be gone while children it forked (extension hosts, file watchers) linger.
      signalGroup(pid, 'SIGKILL');
      await Promise.race([exitedPromise, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      liveGroups.delete(pid);
    })();
    return stopping;
  };
  return { pid, exited: exitedPromise, hasExited: () => exited, stop };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
