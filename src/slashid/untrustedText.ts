/**
 * Text that came from outside the extension (a server's `errors[].message` or `error_description`, a client
 * name, a claim of a token someone pasted) made safe to show. VS Code renders `[label](command:…)` in
 * notifications as a link that runs a command, and `$(icon)` in quick-pick and tree labels as an icon: both
 * are neutralised here, and the text is cut to a readable length. No `vscode` import: the API core uses
 * these when it builds its sentences.
 */

/** About how much server text a message may carry. */
export const UNTRUSTED_TEXT_MAX = 500;

/** Control characters (newlines included) and Unicode line/paragraph separators and bidi overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** Anything `inertText` changes (shortening aside): a character of `CONTROL_RE`, `](`, or `<scheme:`. */
// eslint-disable-next-line no-control-regex
const NEEDS_INERTING_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\]\s*\(|<[a-z][a-z0-9+.-]*:/i;

/** `text` on one line: each run of control characters (newlines included), line separators and bidi controls becomes one space. */
export function singleLine(text: string): string {
  return text.replace(CONTROL_RE, ' ');
}

/** Cuts `text` to at most `max` characters (UTF-16 units), ending with "…" when it was cut. */
export function shorten(text: string, max = UNTRUSTED_TEXT_MAX): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  // Do not cut a surrogate pair in two.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * One line of inert text for a notification, a log line or a quick-pick detail: control characters become
 * spaces, Markdown link syntax (`](`, `<scheme:…>`) is broken so nothing renders as a link, and the result is
 * at most `max` characters. Never throws.
 */
export function inertText(value: unknown, max = UNTRUSTED_TEXT_MAX): string {
  let text = typeof value === 'string' ? value : String(value);
  // Most text (a client name, a grant list) needs nothing: one scan instead of three replacements (the
  // clients view calls this three times per client, for thousands of clients).
  if (text.length <= max && !NEEDS_INERTING_RE.test(text)) return text;
  // Cut first (generously) so that the replacements below never run over megabytes.
  if (text.length > max * 4) text = text.slice(0, max * 4);
  text = text
    .replace(CONTROL_RE, ' ')
    .replace(/\]\s*\(/g, '] (')
    .replace(/<([a-z][a-z0-9+.-]*:)/gi, '‹$1');
  return shorten(text, max);
}

/** `inertText` for a label that VS Code renders with icons (quick picks, tree items): `$(name)` stays text. */
export function inertLabel(value: unknown, max = UNTRUSTED_TEXT_MAX): string {
  return escapeIcons(inertText(value, max));
}

/**
 * Escapes `$(name)` so VS Code's label renderer (status bar items, progress titles, quick picks, tree items)
 * shows it as text, not as a codicon. Idempotent: an already escaped `\$(` is left as it is.
 */
export function escapeIcons(text: string): string {
  return text.replace(/(?<!\\)\$\(/g, '\\$(');
}

/**
 * Escapes text for a `MarkdownString` (tooltips, hovers): every Markdown punctuation character, `$` (theme
 * icons), and line breaks (which would start a new block). Token Markdown, also read as document text,
 * uses the lighter `escapeInlineMarkdown` (inspect/tokenRendering.ts).
 */
export function escapeMarkdown(text: string): string {
  return text.replace(CONTROL_RE, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>$~&]/g, '\\$&');
}
