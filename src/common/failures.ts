import { describeError } from '../slashid/errors';
import { redactSecrets } from './logger';

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

/** One sentence for any failure; never contains a token. */
export function describeFailure(err: unknown): string {
  if (err instanceof UserFacingError) {
    return redactSecrets(err.message);
  }
  return redactSecrets(describeError(err));
}
