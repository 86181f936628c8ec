/**
 * The one way a token is shown masked: enough of it to recognise it (its kind and its last characters),
 * never enough to use it. Browser-safe: no imports.
 */

/** Shows enough of a token to recognise it, never enough to use it. */
export function maskToken(token: string): string {
  if (token.length <= 16) return '•'.repeat(Math.min(token.length, 8));
  const head = token.startsWith('sid_') ? token.slice(0, 9) : token.slice(0, 8);
  return `${head}••••••••${token.slice(-4)}`;
}
