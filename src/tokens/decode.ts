import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { withoutBearer } from './bearer';
import { MAX_TOKEN_LENGTH } from './limits';

/**
 * Decoding a JWT for display: header, payload and signature facts, without verifying anything.
 * `decodeToken` never throws; every way a string can fail to be a JWT has its own reason and message.
 * The base64url and JSON decoding is jose's (`decodeProtectedHeader`, `decodeJwt`); this module only
 * checks the shape first so that it can say precisely what is wrong.
 *
 * Browser-safe: imports only jose.
 */

export { MAX_TOKEN_LENGTH };

export type TokenPartName = 'header' | 'payload' | 'signature';

export interface DecodedToken {
  readonly ok: true;
  /** The compact token that was decoded (input trimmed, a leading `Bearer ` removed). */
  readonly token: string;
  /** The three base64url parts as they appear in the token. */
  readonly parts: { readonly header: string; readonly payload: string; readonly signature: string };
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload;
  /** `header.alg` when it is a string. */
  readonly alg: string | undefined;
  /** `header.kid` when it is a string. */
  readonly kid: string | undefined;
  /** True for an unsecured token: `alg` is "none" in any letter case. */
  readonly algNone: boolean;
  /** False when the third part is empty (as in an unsecured token). */
  readonly hasSignature: boolean;
  /** Length of the decoded signature in bytes (256 for RS256 with a 2048-bit key). */
  readonly signatureBytes: number;
  /** Length of the token in characters. */
  readonly size: number;
}

export type DecodeFailureReason =
  | 'empty'
  | 'too-large'
  | 'not-three-parts'
  | 'encrypted'
  | 'empty-part'
  | 'bad-base64url'
  | 'header-not-json'
  | 'header-not-object'
  | 'payload-not-json'
  | 'payload-not-object';

export interface DecodeFailure {
  readonly ok: false;
  readonly reason: DecodeFailureReason;
  /** One sentence for the user. Never quotes the token. */
  readonly message: string;
  /** The part the problem is in, when it is in one. */
  readonly part?: TokenPartName;
}

export type DecodeResult = DecodedToken | DecodeFailure;

const BASE64URL_CHAR = /[^A-Za-z0-9_-]/;

function fail(reason: DecodeFailureReason, message: string, part?: TokenPartName): DecodeFailure {
  return part === undefined ? { ok: false, reason, message } : { ok: false, reason, message, part };
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function describeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === ' ') return 'a space';
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

/** Why a part is not base64url, or undefined when it is. */
function base64urlProblem(part: string, name: TokenPartName): string | undefined {
  const bad = BASE64URL_CHAR.exec(part);
  if (bad) {
    const ch = bad[0];
    const hint =
      ch === '=' ? ' (JWTs are not padded)' : ch === '+' || ch === '/' ? ' (that is standard base64, JWTs use base64url: - and _)' : '';
    return `The ${name} is not valid base64url: ${describeChar(ch)} at position ${bad.index + 1} of the ${name} is not allowed${hint}.`;
  }
  if (part.length % 4 === 1) {
    return `The ${name} is not valid base64url: a length of ${formatCount(part.length)} characters cannot be decoded (it looks truncated).`;
  }
  return undefined;
}

function isAlgNone(alg: unknown): boolean {
  return typeof alg === 'string' && alg.toLowerCase() === 'none';
}

/** Decodes a compact JWS (a signed or unsecured JWT). Never throws. */
export function decodeToken(input: string): DecodeResult {
  if (typeof input !== 'string') {
    return fail('empty', 'There is no token to decode.');
  }
  if (input.length > MAX_TOKEN_LENGTH) {
    return fail(
      'too-large',
      `The text is ${formatCount(input.length)} characters long; tokens over ${formatCount(MAX_TOKEN_LENGTH)} characters (64 KB) are not decoded.`,
    );
  }
  const token = compactTokenFrom(input);
  if (token.length === 0) {
    return fail('empty', 'There is no token to decode: the text is empty.');
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    return fail(
      'encrypted',
      'This is an encrypted token (JWE, 5 parts); only signed JWTs (3 parts) can be decoded without the decryption key.',
    );
  }
  if (parts.length !== 3) {
    return fail(
      'not-three-parts',
      `This is not a JWT: a JWT has 3 parts separated by dots (header.payload.signature), this text has ${parts.length}.`,
    );
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (headerPart.length === 0) return fail('empty-part', 'The header (the part before the first dot) is empty.', 'header');
  if (payloadPart.length === 0) return fail('empty-part', 'The payload (the part between the dots) is empty.', 'payload');
  for (const [part, name] of [
    [headerPart, 'header'],
    [payloadPart, 'payload'],
    [signaturePart, 'signature'],
  ] as const) {
    const problem = base64urlProblem(part, name);
    if (problem !== undefined) return fail('bad-base64url', problem, name);
  }

  let header: ProtectedHeaderParameters;
  try {
    header = decodeProtectedHeader(token);
  } catch (error) {
    // jose attaches the JSON (or UTF-8) error as `cause`; a parsed non-object has none.
    return hasCause(error)
      ? fail('header-not-json', 'The header decodes to text that is not JSON.', 'header')
      : fail('header-not-object', 'The header is JSON but not an object; a JWT header is an object like {"alg":"RS256"}.', 'header');
  }
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token);
  } catch (error) {
    return hasCause(error)
      ? fail('payload-not-json', 'The payload decodes to text that is not JSON.', 'payload')
      : fail('payload-not-object', 'The payload is JSON but not an object; a JWT payload is an object of claims.', 'payload');
  }
  const alg = typeof header.alg === 'string' ? header.alg : undefined;
  return {
    ok: true,
    token,
    parts: { header: headerPart, payload: payloadPart, signature: signaturePart },
    header,
    payload,
    alg,
    kid: typeof header.kid === 'string' ? header.kid : undefined,
    algNone: isAlgNone(header.alg),
    hasSignature: signaturePart.length > 0,
    signatureBytes: Math.floor((signaturePart.length * 3) / 4),
    size: token.length,
  };
}

/** The compact token in `input`: surrounding whitespace and a leading `Bearer ` removed (bearer.ts). */
export function compactTokenFrom(input: string): string {
  return withoutBearer(input);
}

function hasCause(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { cause?: unknown }).cause !== undefined;
}
