import { createHash, randomBytes } from 'node:crypto';
import {
  SignJWT,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
  type CryptoKey,
} from 'jose';

/** A private RSA key as stored in the state file (JWK) with its key ID. */
export interface StoredSigningKey {
  kid: string;
  private_jwk: JWK;
}

/** One RS256 key pair: signs JWTs and verifies its own. */
export class SigningKey {
  private constructor(
    readonly kid: string,
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    private readonly stored: StoredSigningKey,
    readonly publicJwk: JWK,
  ) {}

  static async generate(): Promise<SigningKey> {
    const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const privateJwk = await exportJWK(privateKey);
    return SigningKey.fromStored({ kid: await calculateJwkThumbprint(privateJwk), private_jwk: privateJwk });
  }

  static async fromStored(stored: StoredSigningKey): Promise<SigningKey> {
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = stored.private_jwk;
    const publicJwk: JWK = { kty: pub.kty, n: pub.n, e: pub.e, kid: stored.kid, alg: 'RS256', use: 'sig' };
    const privateKey = (await importJWK({ ...stored.private_jwk, alg: 'RS256' }, 'RS256')) as CryptoKey;
    const publicKey = (await importJWK({ ...publicJwk }, 'RS256')) as CryptoKey;
    return new SigningKey(stored.kid, privateKey, publicKey, stored, publicJwk);
  }

  toStored(): StoredSigningKey {
    return this.stored;
  }

  /** An RS256 JWT of `payload`; its protected header's `typ` is `JWT` unless `typ` says otherwise. */
  sign(payload: JWTPayload, typ = 'JWT'): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ }).sign(this.privateKey);
  }

  /**
   * The payload when `token` is a JWT this key signed and it has not expired (and, with `typ`, its
   * protected header has that `typ`); an error otherwise.
   */
  async verify(token: string, typ?: string): Promise<{ payload: JWTPayload } | { error: 'expired' | 'invalid' }> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: ['RS256'], ...(typ !== undefined ? { typ } : {}) });
      return { payload };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      return { error: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
    }
  }
}

/** `prefix` + 43 base64url characters (32 random bytes). */
export function opaqueToken(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** True when `token` has the shape of a JWS compact serialization (three base64url parts). */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}
