import { describeError } from '../slashid/errors';
import { redactSecrets } from '../slashid/redaction';
import { inertText } from '../slashid/untrustedText';

/** The longest sentence a failure is shown as (our words plus at most about 500 characters of server text). */
const FAILURE_SENTENCE_MAX = 1_000;

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

/**
 * One short sentence for any failure; never contains a token, never throws, and is inert (`inertText`): a
 * server's text in it can neither render as a link that runs a command nor run to megabytes.
 */
export function describeFailure(err: unknown): string {
  try {
    // Redact first: a token cut in two by shortening would no longer be recognised.
    return inertText(redactSecrets(err instanceof UserFacingError ? err.message : describeError(err)), FAILURE_SENTENCE_MAX);
  } catch {
    return 'The operation failed, and its error could not be described. Try again; if it persists, check the SlashID log.';
  }
}
