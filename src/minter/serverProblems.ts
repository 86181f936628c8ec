import type { Problem } from '../tokenPanels/protocol';

/**
 * A server 400, as problems in the claims list: one per claim the API's message names (placed on that
 * key in the text), or one unplaced problem with the whole sentence.
 */
export function serverProblems(
  apiMessages: readonly string[],
  sentence: string,
  claimsText: string,
  claimNames: readonly string[],
): Problem[] {
  const text = apiMessages.join(' ');
  // A claim counts as named when quoted, or as a whole word of 3 characters or more ("a" would match prose).
  const named = claimNames.filter(
    (name) =>
      name.length > 0 &&
      (text.includes(JSON.stringify(name)) || (name.length >= 3 && new RegExp(`(^|[^\\w.])${escapeRegExp(name)}($|[^\\w])`).test(text))),
  );
  const placed: Problem[] = [];
  for (const claim of named) {
    const at = keyOffset(claimsText, claim);
    if (at === undefined) continue;
    placed.push({ code: 'server', message: `SlashID rejected "${claim}": ${sentence}`, ...at, claim });
  }
  return placed.length > 0 ? placed : [{ code: 'server', message: sentence }];
}

/** Where `"name":` first appears in the claims text (1-based line and column). */
function keyOffset(text: string, name: string): { line: number; column: number; offset: number; length: number } | undefined {
  const quoted = JSON.stringify(name);
  const match = new RegExp(`${escapeRegExp(quoted)}\\s*:`).exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split(/\r\n|\r|\n/).length;
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  return { line, column: match.index - lastBreak, offset: match.index, length: quoted.length };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
