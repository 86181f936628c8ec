import { NetworkError, TimeoutError, describeError } from '../slashid/errors';
import { redactSecrets } from './logger';
import { inertText } from '../slashid/untrustedText';

/**
 * An error the extension raises itself with a sentence ready for the user (what failed, why, what to
 * do). API-core errors get theirs from `describeError`.
 */
export class UserFacingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** How long a failure sentence may be: ours around a server's text (itself shortened to ~500 characters). */
const FAILURE_MAX = 1_000;

/**
 * One sentence for any failure; never contains a token, and is inert (`inertText`): a server's text in it
 * can neither render as a link that runs a command nor run to megabytes.
 */
export function describeFailure(err: unknown): string {
  return inertText(redactSecrets(err instanceof UserFacingError ? err.message : describeError(err)), FAILURE_MAX);
}

/** Failures that happen before a request leaves this machine: the server cannot have acted on it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a write may have reached SlashID although no answer came back (a timeout, a connection
 * dropped after sending): the change may have happened, and the user must be told so.
 */
export function isLostAnswer(err: unknown): boolean {
  return err instanceof TimeoutError || (err instanceof NetworkError && !NOT_SENT_CODES.has(err.code));
}
