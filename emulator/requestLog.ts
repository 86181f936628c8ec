import { EMULATOR_REQUEST_LOG_SIZE } from '../src/slashid/contract';
import type { RecordedRequest } from './types';

/** How many requests the log keeps (the most recent ones). */
export const REQUEST_LOG_SIZE = EMULATOR_REQUEST_LOG_SIZE;
/** Longest path kept; a longer one is cut and ends with "…". */
export const REQUEST_LOG_PATH_CHARS = 200;

/**
 * The requests the emulator answered on its known routes (never bodies or headers): a bounded ring of
 * the last {@link REQUEST_LOG_SIZE}, with paths shortened, so a flood of requests (or of long paths)
 * cannot grow the emulator's memory. Requests to unknown routes are not recorded. `entries` is one
 * array, changed in place, so a reader holding it sees new requests.
 */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  add(request: RecordedRequest): void {
    const path = request.path.length > REQUEST_LOG_PATH_CHARS ? `${request.path.slice(0, REQUEST_LOG_PATH_CHARS - 1)}…` : request.path;
    this.entries.push({ ...request, path });
    if (this.entries.length > REQUEST_LOG_SIZE) {
      this.entries.splice(0, this.entries.length - REQUEST_LOG_SIZE);
    }
  }
}
