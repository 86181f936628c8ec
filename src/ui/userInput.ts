import * as vscode from 'vscode';
import { MultiStepInput, isInputFlowCancelled, type InputStep } from './multiStepInput';

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
    return vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeholder,
      matchOnDescription: true,
      matchOnDetail: true,
      ignoreFocusOut: true,
    });
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T[] | undefined> {
    return vscode.window.showQuickPick(items, {
      title: options.title,
      placeHolder: options.placeholder,
      canPickMany: true,
      ignoreFocusOut: true,
    });
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
    // A one-step flow: the input box stays open while `accept` checks the value and shows why it was refused.
    let result: string | undefined;
    try {
      await MultiStepInput.run(async (input) => {
        result = await input.showInputBox({ ...options, value: options.value ?? '', prompt: options.prompt ?? '' });
      });
    } catch (err) {
      if (isInputFlowCancelled(err)) {
        return undefined;
      }
      throw err;
    }
    return result;
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
