/**
 * The one place a `Bearer ` prefix is taken off a token someone pasted or selected. In a module of its
 * own, without jose: token recognition (hovers) and input reading use it without loading the decoder.
 */

const BEARER_PREFIX = /^bearer\s+/i;

/** The token in `input`: surrounding whitespace and a leading `Bearer ` (any case) removed. */
export function withoutBearer(input: string): string {
  return input.trim().replace(BEARER_PREFIX, '');
}
