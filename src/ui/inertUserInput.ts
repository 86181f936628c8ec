import type * as vscode from 'vscode';
import { inertLabel, inertText } from '../slashid/untrustedText';
import type { InputStep } from './multiStepInput';
import type { InputOptions, PickOptions, UserInput } from './userInput';

/** How long a whole message may be: our sentence around a server's text (itself shortened to ~500). */
export const MESSAGE_MAX = 1_000;

/**
 * Every message and question goes out through this wrapper, so text from outside (a server's error message,
 * a client name, a person's handle, a token claim) can never render as a link that runs a command or as an
 * icon, and is cut to a readable length: messages and details with `inertText`, quick-pick labels with
 * `inertLabel` (our own icons go in `iconPath`). The item the person picks is handed back as it was given.
 */
export class InertUserInput implements UserInput {
  constructor(readonly inner: UserInput) {}

  runFlow(start: InputStep): Promise<void> {
    return this.inner.runFlow(start);
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    const shown = items.map(inertItem);
    const picked = await this.inner.pick(shown, inertPickOptions(options));
    return picked && items[shown.indexOf(picked)];
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    const shown = items.map(inertItem);
    const picked = await this.inner.pickMany(shown, inertPickOptions(options));
    return picked?.map((item) => items[shown.indexOf(item)]);
  }

  input(options: InputOptions): Promise<string | undefined> {
    const { validate, accept } = options;
    return this.inner.input({
      ...options,
      ...(options.title !== undefined ? { title: inertLabel(options.title) } : {}),
      ...(options.prompt !== undefined ? { prompt: inertText(options.prompt, MESSAGE_MAX) } : {}),
      ...(validate ? { validate: (value: string) => inertMessage(validate(value)) } : {}),
      ...(accept ? { accept: async (value: string) => inertMessage(await accept(value)) } : {}),
    });
  }

  confirm(message: string, detail: string, action: string): Promise<boolean> {
    // The detail keeps its line breaks; each line is made inert.
    const lines = detail.split('\n').map((line) => (line ? inertText(line, MESSAGE_MAX) : line));
    return this.inner.confirm(inertText(message, MESSAGE_MAX), lines.join('\n'), action);
  }

  info(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.inner.info(inertText(message, MESSAGE_MAX), ...actions);
  }

  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.inner.warn(inertText(message, MESSAGE_MAX), ...actions);
  }

  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return this.inner.error(inertText(message, MESSAGE_MAX), ...actions);
  }
}

function inertItem<T extends vscode.QuickPickItem>(item: T): T {
  return {
    ...item,
    label: inertLabel(item.label),
    ...(item.description !== undefined ? { description: inertLabel(item.description) } : {}),
    ...(item.detail !== undefined ? { detail: inertLabel(item.detail) } : {}),
  };
}

function inertPickOptions(options: PickOptions): PickOptions {
  return {
    ...(options.title !== undefined ? { title: inertLabel(options.title) } : {}),
    ...(options.placeholder !== undefined ? { placeholder: inertText(options.placeholder) } : {}),
  };
}

function inertMessage(message: string | undefined): string | undefined {
  return message === undefined ? undefined : inertText(message, MESSAGE_MAX);
}
