import { createHash } from 'node:crypto';

/**
 * The ID-token checks of an authorization-code flow that the signature, issuer and audience checks
 * (verify.ts) do not make: the `nonce` the request sent (OpenID Connect Core §3.1.3.7 rule 11) and the
 * `at_hash` binding the ID token to the access token it came with (§3.1.3.8, §3.2.2.9). Node only (the
 * hash uses node:crypto); no `vscode` import.
 */

export interface IdTokenCheck {
  readonly ok: boolean;
  /** One sentence; never quotes a token or the nonce. */
  readonly message: string;
}

const HASHES: Record<string, string> = {
  RS256: 'sha256',
  ES256: 'sha256',
  PS256: 'sha256',
  RS384: 'sha384',
  ES384: 'sha384',
  PS384: 'sha384',
  RS512: 'sha512',
  ES512: 'sha512',
  PS512: 'sha512',
};

/** `at_hash` of an access token for an ID token signed with `alg`: base64url of the left half of its hash. */
export function accessTokenHash(accessToken: string, alg: string): string | undefined {
  const hash = HASHES[alg];
  if (!hash) return undefined;
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** The ID token's `nonce` must be the one the authorization request sent. */
export function checkNonce(payload: Record<string, unknown>, expected: string): IdTokenCheck {
  if (payload.nonce === undefined) {
    return { ok: false, message: 'The ID token has no nonce, although the request sent one: it may have been issued for another request.' };
  }
  return payload.nonce === expected
    ? { ok: true, message: 'The nonce matches the one this request sent.' }
    : { ok: false, message: 'The ID token carries another nonce than this request sent: it was issued for another request (a replay).' };
}

/** The ID token's `at_hash`, when present, must match the access token (required here when both came together). */
export function checkAccessTokenHash(payload: Record<string, unknown>, alg: string | undefined, accessToken: string): IdTokenCheck {
  if (payload.at_hash === undefined) {
    return { ok: false, message: 'The ID token has no at_hash, so nothing binds it to the access token it came with.' };
  }
  const expected = alg === undefined ? undefined : accessTokenHash(accessToken, alg);
  if (expected === undefined) {
    return { ok: false, message: `The at_hash cannot be checked for the algorithm ${JSON.stringify(String(alg).slice(0, 20))}.` };
  }
  return payload.at_hash === expected
    ? { ok: true, message: 'The at_hash matches the access token.' }
    : { ok: false, message: 'The ID token’s at_hash does not match the access token it came with: the two were not issued together.' };
}
