import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The emulator's JSON state file. Every write goes to a temporary file in the same folder, is fsynced,
 * then renamed over the state file, so a reader (or a kill at any moment) only ever sees a complete file.
 * Writes are serialized: one at a time, and requests that arrive while one is running share the next one,
 * which serializes the state as it is when it starts — so no change is lost and no two writes interleave.
 */
export class StateFile {
  private tail: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;

  constructor(
    readonly filePath: string,
    private readonly serialize: () => string,
  ) {}

  /** The parsed file, or undefined when it does not exist. Throws StateFileError when it cannot be read or parsed. */
  static async read(filePath: string): Promise<unknown> {
    let text: string;
    try {
      text = await fs.readFile(filePath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return undefined;
      }
      throw new StateFileError(filePath, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new StateFileError(filePath, 'is not valid JSON');
    }
  }

  /** Resolves once a write that includes every change made before this call is on disk. */
  save(): Promise<void> {
    if (!this.queued) {
      const next = this.tail.then(() => {
        this.queued = undefined;
        return this.writeNow();
      });
      this.queued = next;
      this.tail = next.catch(() => undefined);
    }
    return this.queued;
  }

  /** Resolves when every write asked for so far has finished (successfully or not). */
  flush(): Promise<void> {
    return this.tail;
  }

  private async writeNow(): Promise<void> {
    const data = this.serialize();
    const dir = path.dirname(this.filePath);
    const temp = path.join(dir, `.${path.basename(this.filePath)}.${randomBytes(12).toString('hex')}.tmp`);
    let created = false;
    try {
      const handle = await fs.open(temp, 'wx', 0o600);
      created = true;
      try {
        await handle.writeFile(data, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(temp, this.filePath);
    } catch (err) {
      if (created) await fs.rm(temp, { force: true }).catch(() => undefined);
      throw new StateFileError(this.filePath, `could not be written (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    await syncDirectory(dir);
  }
}

/** Makes the rename itself durable where the platform allows it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported everywhere (e.g. Windows); the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export class StateFileError extends Error {
  constructor(
    readonly filePath: string,
    reason: string,
  ) {
    super(`Emulator state file ${filePath} ${reason}.`);
    this.name = 'StateFileError';
  }
}
