import { validateCustomClaims } from '../../tokens/claims';
import type { Problem } from '../../tokenPanels/protocol';
import { LineIndex } from '../../tokens/textPosition';
import { append, clear, h } from './dom';

/**
 * The custom-claims editor: a monospace textarea with line numbers, validated on every keystroke with
 * the same validator the host uses (`src/tokens/claims.ts`). Problems are listed next to it; choosing
 * one puts the caret on it. Problems from the server (a 400 to a mint) join the same list until the
 * text changes.
 */
export class ClaimsEditor {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly gutter: HTMLElement;
  private readonly problemList: HTMLUListElement;
  private readonly summary: HTMLElement;
  private localProblems: Problem[] = [];
  private serverProblems: Problem[] = [];
  /** Tab indents until Escape is pressed, so keyboard users can still leave the editor. */
  private tabIndents = true;

  constructor(private readonly onChange: () => void) {
    this.textarea = h('textarea', {
      id: 'claims',
      class: 'claims-input',
      spellcheck: 'false',
      autocomplete: 'off',
      autocapitalize: 'off',
      wrap: 'off',
      rows: 10,
      placeholder: '{\n  "team": "blue"\n}',
      'aria-describedby': 'claims-help claims-summary',
    });
    this.gutter = h('div', { class: 'gutter', 'aria-hidden': 'true' });
    this.summary = h('p', { id: 'claims-summary', class: 'claims-summary', role: 'status' });
    this.problemList = h('ul', { id: 'claims-problems', class: 'problems', 'aria-label': 'Problems in the custom claims' });
    this.element = h(
      'div',
      { class: 'field claims' },
      h('label', { for: 'claims' }, 'Custom claims (JSON object)'),
      h(
        'p',
        { id: 'claims-help', class: 'muted' },
        'Added at the top level of the access token’s payload. Reserved names (exp, iss, sub, …) are rejected.',
      ),
      h('div', { class: 'editor' }, this.gutter, this.textarea),
      this.summary,
      this.problemList,
    );
    this.textarea.addEventListener('input', () => {
      this.serverProblems = [];
      this.validate();
      this.onChange();
    });
    this.textarea.addEventListener('scroll', () => {
      this.gutter.scrollTop = this.textarea.scrollTop;
    });
    this.textarea.addEventListener('keydown', (event) => {
      // Tab indents inside the editor; Escape then Tab moves focus on.
      if (event.key === 'Tab' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey && this.tabIndents) {
        event.preventDefault();
        this.textarea.setRangeText('  ', this.textarea.selectionStart, this.textarea.selectionEnd, 'end');
        this.textarea.dispatchEvent(new Event('input'));
      } else if (event.key === 'Escape') {
        this.tabIndents = false;
      }
    });
    this.textarea.addEventListener('focus', () => {
      this.tabIndents = true;
    });
    this.validate();
  }

  get text(): string {
    return this.textarea.value;
  }

  set text(value: string) {
    this.textarea.value = value;
    this.serverProblems = [];
    this.validate();
  }

  /** True when the claims may be sent (no local problem; server problems clear when the text changes). */
  get isValid(): boolean {
    return this.localProblems.length === 0;
  }

  get problemCount(): number {
    return this.localProblems.length + this.serverProblems.length;
  }

  showServerProblems(problems: readonly Problem[]): void {
    this.serverProblems = [...problems];
    this.render();
  }

  validate(): void {
    const result = validateCustomClaims(this.textarea.value);
    this.localProblems = result.problems.map((p) => ({
      code: p.code,
      message: p.message,
      line: p.line,
      column: p.column,
      offset: p.offset,
      ...(p.length !== undefined ? { length: p.length } : {}),
      ...(p.claim !== undefined ? { claim: p.claim } : {}),
    }));
    this.render();
  }

  private render(): void {
    const problems = [...this.localProblems, ...this.serverProblems];
    const errorLines = new Set(problems.map((p) => p.line).filter((l): l is number => l !== undefined));
    const lineCount = new LineIndex(this.textarea.value).lineCount;
    clear(this.gutter);
    for (let line = 1; line <= lineCount; line++) {
      append(this.gutter, h('div', { class: errorLines.has(line) ? 'line error' : 'line' }, line));
    }
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.textarea.setAttribute('aria-invalid', problems.length > 0 ? 'true' : 'false');
    this.summary.textContent =
      problems.length === 0
        ? this.textarea.value.trim()
          ? 'The custom claims are valid.'
          : 'No custom claims.'
        : `${problems.length} problem${problems.length === 1 ? '' : 's'} in the custom claims.`;
    this.summary.className = problems.length === 0 ? 'claims-summary ok' : 'claims-summary error';
    clear(this.problemList);
    for (const problem of problems) {
      const where = problem.line !== undefined ? `Line ${problem.line}, column ${problem.column ?? 1}: ` : '';
      const source = problem.code === 'server' ? 'SlashID: ' : '';
      const button = h('button', { type: 'button', class: 'problem', 'data-code': problem.code }, `${where}${source}${problem.message}`);
      button.addEventListener('click', () => this.moveCaretTo(problem));
      append(this.problemList, h('li', {}, button));
    }
  }

  private moveCaretTo(problem: Problem): void {
    this.textarea.focus();
    if (problem.offset === undefined) return;
    const start = Math.min(problem.offset, this.textarea.value.length);
    const end = Math.min(start + (problem.length ?? 0), this.textarea.value.length);
    this.textarea.setSelectionRange(start, end);
    // Bring the line into view: roughly line height times the line.
    const lineHeight = parseFloat(getComputedStyle(this.textarea).lineHeight) || 18;
    this.textarea.scrollTop = Math.max(0, ((problem.line ?? 1) - 3) * lineHeight);
  }
}
