/**
 * Verification verdicts shown for a token, and how each is labelled. Kept apart from the message
 * protocol (whose zod schemas are built when it loads) so the hover can use them at activation.
 */
export const VERDICTS = [
  'valid',
  'alg-none',
  'unsupported-alg',
  'unknown-kid',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'malformed',
  /** A JWT whose signature is too short for its algorithm: wrapped or truncated, not forged. */
  'cut',
  'jwks-unavailable',
  /** Signed by the org's key, but an SSO token container, not an access token. */
  'sso-container',
  /** An opaque token that introspection says is not active. */
  'inactive',
  /** Signed and addressed correctly, but an ID token whose nonce or at_hash does not match the flow that got it. */
  'id-token-mismatch',
  'not-checked',
] as const;
export type VerdictStatus = (typeof VERDICTS)[number];

export const VERDICT_LABELS: Readonly<
  Record<VerdictStatus, { readonly label: string; readonly tone: 'ok' | 'warn' | 'error' | 'info'; readonly icon: string }>
> = {
  valid: { label: 'Valid', tone: 'ok', icon: 'pass' },
  'alg-none': { label: 'Unsigned (alg: none)', tone: 'error', icon: 'warning' },
  'unsupported-alg': { label: 'Unsupported algorithm', tone: 'error', icon: 'error' },
  'unknown-kid': { label: 'Unknown key', tone: 'error', icon: 'error' },
  'bad-signature': { label: 'Bad signature', tone: 'error', icon: 'error' },
  expired: { label: 'Expired', tone: 'error', icon: 'clock' },
  'not-yet-valid': { label: 'Not yet valid', tone: 'warn', icon: 'clock' },
  'wrong-issuer': { label: 'Wrong issuer', tone: 'error', icon: 'error' },
  'wrong-audience': { label: 'Wrong audience', tone: 'error', icon: 'error' },
  malformed: { label: 'Malformed', tone: 'error', icon: 'error' },
  cut: { label: 'Looks cut', tone: 'warn', icon: 'warning' },
  'jwks-unavailable': { label: 'Keys unavailable', tone: 'warn', icon: 'question' },
  'sso-container': { label: 'SSO token container (not an access token)', tone: 'warn', icon: 'key' },
  inactive: { label: 'Inactive', tone: 'error', icon: 'circle-slash' },
  'id-token-mismatch': { label: 'Not from this sign-in', tone: 'error', icon: 'error' },
  'not-checked': { label: 'Not verified', tone: 'info', icon: 'info' },
};
