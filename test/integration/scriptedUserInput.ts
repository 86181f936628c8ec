/**
 * A `UserInput` that answers from a script, for extension-host tests: the commands run for real
 * (real API calls, real SecretStorage, real tree), only the person at the keyboard is scripted.
 * Every question asked and every message shown is recorded, so tests can read them and search
 * them for secrets.
 */
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { InputStep } from '../../src/ui/multiStepInput';
import type { UserInput } from '../../src/ui/userInput';

export type Answer = { pick: string } | { pickMany: string[] } | { input: string } | { confirm: boolean } | { cancel: true };

export interface RecordedMessage {
  severity: 'info' | 'warn' | 'error';
  text: string;
  actions: string[];
}

interface TextOptions {
  title?: string;
  prompt?: string;
  value?: string;
  validate?: (value: string) => string | undefined;
  accept?: (value: string) => Promise<string | undefined>;
}

type Step = InputStep;

/** Raised when the script has no answer left: the extension treats it as the person closing the input. */
export class InputCancelledByScript extends Error {
  override readonly name = 'InputFlowCancelled';
}

export class ScriptedUserInput implements UserInput {
  readonly asked: string[] = [];
  readonly messages: RecordedMessage[] = [];
  /** Messages an `accept` or `validate` check gave back (e.g. a rejected API key). */
  readonly refusals: string[] = [];
  private readonly answers: Answer[];
  private readonly messageAnswers: [RegExp, string][] = [];

  private readonly cancelled = InputCancelledByScript;

  constructor(answers: Answer[] = []) {
    this.answers = [...answers];
  }

  /** Answers a notification whose text matches `pattern` by choosing `action`. */
  onMessage(pattern: RegExp, action: string): this {
    this.messageAnswers.push([pattern, action]);
    return this;
  }

  /** Adds answers at the end of the script (e.g. an address the test's browser ended on, known only later). */
  push(...answers: Answer[]): this {
    this.answers.push(...answers);
    return this;
  }

  get remaining(): number {
    return this.answers.length;
  }

  assertDone(): void {
    assert.deepEqual(this.answers, [], 'scripted answers left unused');
  }

  private next(kind: string, what: string): Answer {
    this.asked.push(`${kind}: ${what}`);
    const answer = this.answers.shift();
    if (!answer || 'cancel' in answer) {
      throw new this.cancelled();
    }
    return answer;
  }

  // --- FlowInput (multi-step) -----------------------------------------------------------------
  async showQuickPick<T extends vscode.QuickPickItem>(options: { items: readonly T[]; placeholder?: string; title?: string }): Promise<T> {
    const answer = this.next('pick', options.placeholder ?? options.title ?? '');
    assert.ok('pick' in answer, `expected a pick answer for "${options.placeholder}", got ${JSON.stringify(answer)}`);
    const item = options.items.find((i) => i.label === answer.pick);
    assert.ok(item, `no item "${answer.pick}" among ${options.items.map((i) => i.label).join(', ')}`);
    return Promise.resolve(item);
  }

  async showMultiPick<T extends vscode.QuickPickItem>(options: { items: readonly T[]; placeholder?: string }): Promise<T[]> {
    const answer = this.next('pickMany', options.placeholder ?? '');
    assert.ok('pickMany' in answer, `expected a pickMany answer for "${options.placeholder}"`);
    const items = answer.pickMany.map((label) => {
      const item = options.items.find((i) => i.label === label);
      assert.ok(item, `no item "${label}"`);
      return item;
    });
    return Promise.resolve(items);
  }

  async showInputBox(options: TextOptions): Promise<string> {
    for (;;) {
      const answer = this.next('input', options.prompt ?? options.title ?? '');
      assert.ok('input' in answer, `expected an input answer for "${options.prompt}", got ${JSON.stringify(answer)}`);
      const problem = options.validate?.(answer.input);
      if (problem) {
        this.refusals.push(problem);
        continue;
      }
      const refusal = options.accept ? await options.accept(answer.input) : undefined;
      if (refusal) {
        this.refusals.push(refusal);
        continue;
      }
      return answer.input;
    }
  }

  // --- UserInput ------------------------------------------------------------------------------
  async runFlow(start: Step): Promise<void> {
    let step: Step | void = start;
    while (step) {
      step = await step(this);
    }
  }

  async pick<T extends vscode.QuickPickItem>(
    items: readonly T[],
    options: { placeholder?: string; title?: string },
  ): Promise<T | undefined> {
    try {
      return await this.showQuickPick({ items, ...options });
    } catch (err) {
      if (err instanceof this.cancelled) return undefined;
      throw err;
    }
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: { placeholder?: string }): Promise<T[] | undefined> {
    try {
      return await this.showMultiPick({ items, ...options });
    } catch (err) {
      if (err instanceof this.cancelled) return undefined;
      throw err;
    }
  }

  async input(options: TextOptions): Promise<string | undefined> {
    try {
      return await this.showInputBox(options);
    } catch (err) {
      if (err instanceof this.cancelled) return undefined;
      throw err;
    }
  }

  async confirm(message: string, detail: string): Promise<boolean> {
    this.messages.push({ severity: 'warn', text: `${message}\n${detail}`, actions: [] });
    const answer = this.next('confirm', message);
    assert.ok('confirm' in answer, `expected a confirm answer for "${message}"`);
    return Promise.resolve(answer.confirm);
  }

  info(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('info', text, actions);
  }

  warn(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('warn', text, actions);
  }

  error(text: string, ...actions: string[]): Promise<string | undefined> {
    return this.message('error', text, actions);
  }

  private message(severity: RecordedMessage['severity'], text: string, actions: string[]): Promise<string | undefined> {
    this.messages.push({ severity, text, actions });
    const rule = this.messageAnswers.find(([pattern]) => pattern.test(text));
    return Promise.resolve(rule && actions.includes(rule[1]) ? rule[1] : undefined);
  }

  /** The messages of one severity, for assertions. */
  texts(severity?: RecordedMessage['severity']): string[] {
    return this.messages.filter((m) => !severity || m.severity === severity).map((m) => m.text);
  }
}
