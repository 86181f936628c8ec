/**
 * The string a debugger shows as a literal of the program's language: `"eyJ…"` (JavaScript, JSON, Go,
 * Java, C#, Rust, C), `'eyJ…'` (JavaScript, Python, Ruby, PHP), `` `eyJ…` `` (JavaScript, Go raw
 * strings), Python's `b'…'`/`r'…'`/`u'…'` prefixes, C#'s `@"…"` and `$"…"`, Rust's `r"…"`/`r#"…"#`.
 * Debug adapters show (and evaluate to) such literals, quoted and escaped; the token is what is inside.
 *
 * Browser-safe.
 */

export interface UnquotedString {
  readonly value: string;
  /** The literal's closing quote was missing: the debugger cut the value. */
  readonly unterminated: boolean;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
  a: '\x07',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
  '/': '/',
  $: '$',
};

/**
 * The content of a string literal, escapes resolved; undefined when `text` is not one string literal.
 * A literal whose closing quote is missing (a truncated display) is returned with `unterminated`.
 */
export function unquoteStringLiteral(text: string): UnquotedString | undefined {
  const literal = text.trim();
  if (literal.length === 0) return undefined;
  // Rust raw strings: r"…", r#"…"#.
  const rustRaw = /^r(#*)"/.exec(literal);
  if (rustRaw) {
    const close = `"${rustRaw[1]}`;
    const body = literal.slice(rustRaw[0].length);
    return body.endsWith(close) ? { value: body.slice(0, -close.length), unterminated: false } : { value: body, unterminated: true };
  }
  const prefix = /^(?:[bBuUrRfF]{1,2}|@|\$|\$@|@\$)?/.exec(literal)?.[0] ?? '';
  const quote = literal.charAt(prefix.length);
  if (quote !== '"' && quote !== "'" && quote !== '`') return undefined;
  // Python raw and C# verbatim strings have no escapes. Backquotes are read with escapes (JavaScript
  // template literals); Go's raw strings differ only for backslashes, which tokens never contain.
  const noEscapes = /[rR@]/.test(prefix);
  let value = '';
  for (let i = prefix.length + 1; i < literal.length; i++) {
    const c = literal.charAt(i);
    if (c === quote) {
      // C# verbatim strings double their quote.
      if (prefix.includes('@') && literal.charAt(i + 1) === quote) {
        value += quote;
        i++;
        continue;
      }
      return i === literal.length - 1 ? { value, unterminated: false } : undefined;
    }
    if (c === '\\' && !noEscapes && i + 1 < literal.length) {
      const next = literal.charAt(i + 1);
      const unicode = /^u\{([0-9a-fA-F]{1,6})\}|^u([0-9a-fA-F]{4})|^x([0-9a-fA-F]{2})|^U([0-9a-fA-F]{8})/.exec(literal.slice(i + 1));
      if (unicode) {
        const code = parseInt(unicode[1] ?? unicode[2] ?? unicode[3] ?? unicode[4] ?? '', 16);
        value += code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
        i += unicode[0].length;
        continue;
      }
      value += SIMPLE_ESCAPES[next] ?? `\\${next}`;
      i++;
      continue;
    }
    value += c;
  }
  return { value, unterminated: true };
}

/**
 * What a debugger's value text holds as a string: the unquoted literal, or the text itself when it is
 * not quoted (adapters that show strings bare).
 */
export function stringFromDebugValue(text: string): UnquotedString {
  return unquoteStringLiteral(text) ?? { value: text.trim(), unterminated: false };
}
