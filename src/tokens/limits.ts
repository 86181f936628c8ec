/**
 * Limits shared by token recognition and decoding, in a module of their own: recognition runs on every
 * hover and must not load jose with the decoder.
 */

/** Longest input `decodeToken` accepts and `findTokens` recognizes (64 KB). Real SlashID tokens are around 1 KB. */
export const MAX_TOKEN_LENGTH = 64 * 1024;
