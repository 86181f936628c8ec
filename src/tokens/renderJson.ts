/**
 * Pretty JSON for display with a depth limit: the one renderer for a token's header and payload (hover,
 * token viewer) and a client's details. `JSON.stringify` is recursive and overflows the stack on a value
 * nested a few thousand levels deep (a 13 KB JWT payload is enough), so every display goes through here.
 *
 * Whatever lies deeper than `maxDepth` is shown as the string `"{…}"` (an object) or `"[…]"` (an array),
 * so the text stays valid JSON, and `note` says what was cut. Never throws.
 *
 * Browser-safe: no imports.
 */

/** Default depth shown: far beyond any real token or client, far below the stack's limit. */
export const RENDER_JSON_MAX_DEPTH = 32;
/** The depth limit is itself capped, so that a caller cannot ask for a stack overflow. */
const MAX_DEPTH_CAP = 200;

export interface RenderJsonOptions {
  /** Levels of objects and arrays shown (the top-level value is level 1). Default {@link RENDER_JSON_MAX_DEPTH}. */
  maxDepth?: number;
  /** Spaces per level. Default 2. */
  indent?: number;
}

export interface RenderedJson {
  /** Pretty JSON (valid JSON, with cut parts as `"{…}"` / `"[…]"`). */
  readonly text: string;
  /** Number of objects and arrays cut at the depth limit (0 when nothing was cut). */
  readonly cut: number;
  /** One sentence saying what was cut, when something was. */
  readonly note?: string;
}

export const CUT_OBJECT = '{…}';
export const CUT_ARRAY = '[…]';

/** Renders `value` as pretty JSON down to `maxDepth` levels. Never throws. */
export function renderJson(value: unknown, options: RenderJsonOptions = {}): RenderedJson {
  const maxDepth = Math.max(1, Math.min(MAX_DEPTH_CAP, Math.floor(options.maxDepth ?? RENDER_JSON_MAX_DEPTH)));
  const indent = ' '.repeat(Math.max(0, Math.min(8, Math.floor(options.indent ?? 2))));
  const state = { cut: 0, circular: 0 };
  const ancestors = new Set<object>();

  const render = (v: unknown, depth: number, pad: string): string | undefined => {
    if (v === null) return 'null';
    switch (typeof v) {
      case 'string':
        return JSON.stringify(v);
      case 'number':
        return Number.isFinite(v) ? String(v) : 'null';
      case 'boolean':
        return String(v);
      case 'bigint':
        return String(v);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    const object = v;
    if (object instanceof Date) return JSON.stringify(Number.isNaN(object.getTime()) ? null : object.toISOString());
    const isArray = Array.isArray(object);
    if (depth > maxDepth) {
      state.cut++;
      return JSON.stringify(isArray ? CUT_ARRAY : CUT_OBJECT);
    }
    if (ancestors.has(object)) {
      state.circular++;
      return JSON.stringify('(circular)');
    }
    ancestors.add(object);
    try {
      const inner = pad + indent;
      const lines: string[] = [];
      if (isArray) {
        for (const item of object) lines.push(inner + (render(item, depth + 1, inner) ?? 'null'));
        return lines.length === 0 ? '[]' : `[\n${lines.join(',\n')}\n${pad}]`;
      }
      for (const key of Object.keys(object)) {
        let item: unknown;
        try {
          item = (object as Record<string, unknown>)[key];
        } catch {
          continue; // a throwing getter: not data
        }
        const text = render(item, depth + 1, inner);
        if (text !== undefined) lines.push(`${inner}${JSON.stringify(key)}: ${text}`);
      }
      return lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${pad}}`;
    } finally {
      ancestors.delete(object);
    }
  };

  let text: string;
  try {
    text = render(value, 1, '') ?? 'null';
  } catch {
    return { text: 'null', cut: 0, note: 'The value could not be shown.' };
  }
  const notes: string[] = [];
  if (state.cut > 0) {
    notes.push(
      `Nesting deeper than ${maxDepth} levels is not shown: ${state.cut} ${state.cut === 1 ? 'object or array appears' : 'objects or arrays appear'} as "${CUT_OBJECT}" or "${CUT_ARRAY}".`,
    );
  }
  if (state.circular > 0) notes.push('A value that contains itself appears as "(circular)".');
  return notes.length === 0 ? { text, cut: 0 } : { text, cut: state.cut, note: notes.join(' ') };
}
