/**
 * Offsets to line/column and back, for claim problems and recognized tokens. Line breaks are `\n`,
 * `\r\n` and `\r`, as in VS Code; columns count UTF-16 code units, as VS Code does.
 *
 * Two conventions, named apart: `LineColumn` is 1-based (for messages: "line 3, column 5"),
 * `LinePosition` is 0-based (`{ line, character }`, the shape of `vscode.Position`).
 *
 * Browser-safe.
 */

/** 1-based line and column, for people. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** 0-based line and character, the shape of `vscode.Position`. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** Line starts of a text, computed once; lookups are binary searches. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        this.starts.push(i + 1);
      } else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 0-based position of an offset (clamped to the text). */
  position(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  /** 1-based line and column of an offset. */
  lineColumn(offset: number): LineColumn {
    const { line, character } = this.position(offset);
    return { line: line + 1, column: character + 1 };
  }

  /** Offset of a 0-based position (clamped to the line and the text). */
  offsetAt(position: LinePosition): number {
    if (position.line < 0) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[position.line];
    const next = position.line + 1 < this.starts.length ? this.starts[position.line + 1] : this.text.length;
    let end = next;
    if (position.line + 1 < this.starts.length) {
      // Exclude the line break itself.
      end = this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
    }
    return Math.min(start + Math.max(0, position.character), end);
  }
}

/** 0-based position of one offset, without building an index (a single scan up to `offset`). */
export function positionAt(text: string, offset: number): LinePosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: clamped - lineStart };
}

/** 1-based line and column of one offset. */
export function lineColumnAt(text: string, offset: number): LineColumn {
  const { line, character } = positionAt(text, offset);
  return { line: line + 1, column: character + 1 };
}
