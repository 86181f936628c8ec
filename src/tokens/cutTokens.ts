import { decodeToken } from './decode';

/**
 * Tokens cut by a line break or truncated on display: a JWT wrapped at a terminal's width, a log line
 * hard-wrapped by an editor, a debugger's value preview ending in "…". Such a token still decodes (its
 * header and payload are often whole) but its signature is short, so verifying it would say "bad
 * signature", which sends people looking for the wrong key. Instead: say it looks cut, and where the
 * continuation is on the next line, join it.
 *
 * Browser-safe: imports only the decoder (jose).
 */

/** Signature length in bytes of each JWS algorithm with a fixed length (RFC 7518, RFC 8037). */
const FIXED_SIGNATURE_BYTES: Readonly<Record<string, readonly number[]>> = {
  HS256: [32],
  HS384: [48],
  HS512: [64],
  ES256: [64],
  ES256K: [64],
  ES384: [96],
  ES512: [132],
  EdDSA: [64, 114],
  Ed25519: [64],
  Ed448: [114],
};
/** An RSA signature is as long as the key's modulus: 2048 bits (256 bytes) at least, in 512-bit steps in practice. */
const RSA_MIN_SIGNATURE_BYTES = 256;
const RSA_STEP_BYTES = 64;

const BASE64URL_RUN = /^[A-Za-z0-9_-]*$/;

export interface SignatureCut {
  readonly alg: string;
  /** Bytes of signature the token carries. */
  readonly actualBytes: number;
  /** Bytes the algorithm needs (the smallest, for RSA). */
  readonly expectedBytes: number;
  /** One sentence, e.g. "The token looks cut: its signature is 120 bytes, RS256 needs 256." */
  readonly message: string;
}

/** Bytes a base64url text of `length` characters decodes to. */
export function base64urlBytes(length: number): number {
  return Math.floor((length * 3) / 4);
}

/**
 * Whether the signature part of a token signed with `alg` is too short (or of a length the algorithm
 * cannot produce): undefined when it is whole, when `alg` is `none`, or when the algorithm is unknown.
 */
export function signatureCut(alg: string | undefined, signaturePart: string): SignatureCut | undefined {
  if (alg === undefined || alg.toLowerCase() === 'none') return undefined;
  const actualBytes = base64urlBytes(signaturePart.length);
  const fixed = FIXED_SIGNATURE_BYTES[alg];
  let expectedBytes: number | undefined;
  if (fixed) {
    if (fixed.includes(actualBytes)) return undefined;
    expectedBytes = fixed.find((bytes) => bytes > actualBytes) ?? fixed[0];
  } else if (/^(?:RS|PS)(?:256|384|512)$/.test(alg)) {
    if (actualBytes >= RSA_MIN_SIGNATURE_BYTES && actualBytes % RSA_STEP_BYTES === 0) return undefined;
    expectedBytes = Math.max(RSA_MIN_SIGNATURE_BYTES, Math.ceil(actualBytes / RSA_STEP_BYTES) * RSA_STEP_BYTES);
  } else {
    return undefined;
  }
  const message =
    actualBytes === 0
      ? `The token looks cut: it has no signature, and ${alg} needs ${expectedBytes} bytes; copy the whole token (it may have been wrapped or truncated).`
      : `The token looks cut: its signature is ${actualBytes} bytes, ${alg} needs ${expectedBytes}; copy the whole token (it may have been wrapped or truncated).`;
  return { alg, actualBytes, expectedBytes, message };
}

/** The cut of a decodable token, or undefined when it is whole (or not a JWT at all). */
export function cutOf(token: string): SignatureCut | undefined {
  const decoded = decodeToken(token);
  if (!decoded.ok) return undefined;
  return signatureCut(decoded.alg, decoded.parts.signature);
}

export interface JwtFragment {
  /** 0-based offsets in the line; `end` is exclusive. */
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** Dot-separated parts present (1 to 3). */
  readonly parts: number;
  /** Only whitespace follows the fragment on its line. */
  readonly atLineEnd: boolean;
}

const TOKEN_CHAR = /[A-Za-z0-9_.-]/;

/**
 * The JWT or start of a JWT (`eyJ…`, `eyJ….eyJ…`, `eyJ….eyJ….sig`) that covers `offset` in `line`, even
 * when it has fewer than three parts (which token recognition does not take). Undefined when the run of
 * base64url characters and dots at the offset does not start with `eyJ`, or has more than three parts.
 */
export function jwtFragmentAt(line: string, offset: number): JwtFragment | undefined {
  if (offset < 0 || offset > line.length) return undefined;
  let start = offset;
  while (start > 0 && TOKEN_CHAR.test(line.charAt(start - 1))) start--;
  let end = offset;
  while (end < line.length && TOKEN_CHAR.test(line.charAt(end))) end++;
  // A `Bearer ` prefix under the cursor: the token after it.
  if (start === end || !line.startsWith('eyJ', start)) {
    const bearer = /^bearer\s+/i.exec(line.slice(start, start + 16 + 10));
    if (!bearer || !line.startsWith('eyJ', start + bearer[0].length)) return undefined;
    start += bearer[0].length;
    end = start;
    while (end < line.length && TOKEN_CHAR.test(line.charAt(end))) end++;
  }
  // A dot that ends a sentence is not part of the token.
  let value = line.slice(start, end);
  while (value.endsWith('.') && value.split('.').length > 3) value = value.slice(0, -1);
  const parts = value.split('.').length;
  if (parts > 3 || value.length < 4) return undefined;
  end = start + value.length;
  return { start, end, value, parts, atLineEnd: line.slice(end).trim().length === 0 };
}

export type LineTokenAnalysis =
  /** The token is whole (or not something this module judges). */
  | { readonly kind: 'whole'; readonly token: string }
  /** The token goes on at the start of the next line: the joined token is whole. */
  | { readonly kind: 'joined'; readonly token: string; readonly continuationLength: number }
  /** The token is cut and the next line does not complete it. */
  | { readonly kind: 'cut'; readonly token: string; readonly message: string };

/**
 * Judges a JWT (or JWT fragment) found on a line: whole, completed by the next line (`next`, a function
 * called only when the fragment ends its line and is cut), or cut. Joining is accepted only when the fragment alone is cut
 * and the joined text is a whole token, so a whole token at a line end is never glued to the next word.
 */
export function analyzeLineToken(fragment: JwtFragment, next: string | undefined | (() => string | undefined)): LineTokenAnalysis {
  const alone = cutMessage(fragment.value, fragment.parts);
  if (alone === undefined) return { kind: 'whole', token: fragment.value };
  // The next line is read only now: the fragment ends its line and is cut.
  const nextLine = fragment.atLineEnd ? (typeof next === 'function' ? next() : next) : undefined;
  if (nextLine !== undefined) {
    const continuation = /^[A-Za-z0-9_.-]+/.exec(nextLine.trimStart())?.[0];
    if (continuation !== undefined) {
      const joined = fragment.value + continuation;
      if (joined.split('.').length === 3 && cutMessage(joined, 3) === undefined && decodeToken(joined).ok) {
        return { kind: 'joined', token: joined, continuationLength: continuation.length };
      }
    }
  }
  return { kind: 'cut', token: fragment.value, message: alone };
}

/** Why a JWT fragment looks cut, or undefined when it looks whole. */
function cutMessage(value: string, parts: number): string | undefined {
  if (parts < 3) {
    return parts === 1
      ? 'The token looks cut: only its header is here (a JWT has 3 parts, header.payload.signature); copy the whole token.'
      : 'The token looks cut: it ends inside its payload (a JWT has 3 parts, header.payload.signature); copy the whole token.';
  }
  const [header, payload, signature] = value.split('.') as [string, string, string];
  if (!BASE64URL_RUN.test(header) || !BASE64URL_RUN.test(payload) || !BASE64URL_RUN.test(signature)) return undefined;
  if (payload.length % 4 === 1 || signature.length % 4 === 1) {
    return 'The token looks cut: a part has a length base64url cannot have; copy the whole token.';
  }
  const decoded = decodeToken(value);
  if (!decoded.ok) return undefined;
  return signatureCut(decoded.alg, signature)?.message;
}

/** The start of a JWT (1 or 2 parts) that ends the text, or that an ellipsis follows (a display shortened at its end or in its middle). */
const CUT_JWT = /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)?)(?:…|\.\.\.|["'`]?\s*$)/;

/**
 * Why a text holding the start of a JWT cut short (its header, or its header and part of its payload,
 * as a debugger's shortened display — "eyJhbGci….sig" — or a cut log line shows it) looks cut;
 * undefined when it holds none.
 */
export function cutJwtIn(text: string): string | undefined {
  const match = CUT_JWT.exec(text.length > 200_000 ? text.slice(0, 200_000) : text);
  if (!match?.[1]) return undefined;
  return cutMessage(match[1], match[1].split('.').length);
}
