import * as vscode from 'vscode';
import { MultiStepInput, type InputStep } from './multiStepInput';

export interface InputOptions {
  title?: string;
  prompt?: string;
  value?: string;
  placeholder?: string;
  password?: boolean;
  /** Checked on every keystroke; a message blocks Enter. */
  validate?: (value: string) => string | undefined;
  /** Checked after Enter (e.g. a real API call); a message keeps the box open to retry. */
  accept?: (value: string) => Promise<string | undefined>;
}

export interface PickOptions {
  title?: string;
  placeholder?: string;
}

/**
 * Every question the extension asks and every message it shows goes through this interface. The
 * workbench implementation is below; the extension-host tests install a scripted one that answers
 * from a list and records each message (so a test can also check no message ever holds a secret).
 */
export interface UserInput {
  /** Runs a multi-step quick input; rejects with `InputFlowCancelled` when the user closes it. */
  runFlow(start: InputStep): Promise<void>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A modal confirmation; true only when `action` was chosen. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
}

/** The real thing: quick picks, input boxes and notifications of the workbench. */
export class WorkbenchUserInput implements UserInput {
  runFlow(start: InputStep): Promise<void> {
    return MultiStepInput.run(start);
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeholder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true });
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return vscode.window.showQuickPick(items, { title: options.title, placeHolder: options.placeholder, canPickMany: true, ignoreFocusOut: true });
  }

  async input(options: InputOptions): Promise<string | undefined> {
    if (!options.accept) {
      return vscode.window.showInputBox({
        title: options.title,
        prompt: options.prompt,
        value: options.value,
        placeHolder: options.placeholder,
        password: options.password,
        ignoreFocusOut: true,
        validateInput: options.validate,
      });
    }
    // An input box that stays open while `accept` checks the value, and shows why it was refused.
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.placeholder = options.placeholder;
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    const accept = options.accept;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      let checking = false;
      const finish = (value: string | undefined) => {
        done = true;
        resolve(value);
        box.hide();
      };
      box.onDidChangeValue((value) => (box.validationMessage = options.validate?.(value)));
      box.onDidAccept(() => {
        if (checking) {
          return;
        }
        const value = box.value;
        const problem = options.validate?.(value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        checking = true;
        box.busy = true;
        box.enabled = false;
        void accept(value)
          .then(
            (refusal) => (refusal ? (box.validationMessage = refusal) : finish(value)),
            (err: unknown) => (box.validationMessage = err instanceof Error ? err.message : String(err)),
          )
          .finally(() => {
            checking = false;
            box.busy = false;
            box.enabled = true;
          });
      });
      box.onDidHide(() => {
        if (!done) {
          resolve(undefined);
        }
        box.dispose();
      });
      box.show();
    });
  }

  async confirm(message: string, detail: string, action: string): Promise<boolean> {
    return (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;
  }

  info(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showInformationMessage(message, ...actions));
  }

  warn(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showWarningMessage(message, ...actions));
  }

  error(message: string, ...actions: string[]): Promise<string | undefined> {
    return Promise.resolve(vscode.window.showErrorMessage(message, ...actions));
  }
}
