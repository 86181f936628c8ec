import * as vscode from 'vscode';

/** Thrown to move the flow one step back (the quick input's Back button). */
class InputFlowBack extends Error {}
/** Thrown when the user closes the input: the flow ends without saving anything. */
export class InputFlowCancelled extends Error {
  override readonly name = 'InputFlowCancelled';
}

/** True for a closed input, whichever `UserInput` implementation raised it (matched by name). */
export function isInputFlowCancelled(err: unknown): boolean {
  return err instanceof Error && err.name === 'InputFlowCancelled';
}

export type InputStep = (input: FlowInput) => Promise<InputStep | void>;

/** What a step can ask. The workbench implements it with one quick input reused across steps. */
export interface FlowInput {
  showQuickPick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T>;
  showMultiPick<T extends vscode.QuickPickItem>(options: PickOptions<T> & { selected: readonly T[]; minimum?: number }): Promise<T[]>;
  showInputBox(options: TextOptions): Promise<string>;
}

interface CommonOptions {
  title: string;
  step: number;
  totalSteps: number;
}

export interface PickOptions<T extends vscode.QuickPickItem> extends CommonOptions {
  items: readonly T[];
  activeItem?: T;
  placeholder: string;
}

export interface TextOptions extends CommonOptions {
  value: string;
  prompt: string;
  placeholder?: string;
  password?: boolean;
  /** Synchronous check on every keystroke; return a message to block Enter. */
  validate?: (value: string) => string | undefined;
  /**
   * Asynchronous check after Enter (e.g. a real API call). Return a message to stay on the
   * step and show it; the input shows a busy state meanwhile.
   */
  accept?: (value: string) => Promise<string | undefined>;
}

/**
 * A multi-step quick input with Back navigation, after VS Code's quickinput sample: each step is a
 * function returning the next step; Back re-runs the previous one.
 */
export class MultiStepInput implements FlowInput {
  private current?: vscode.QuickInput;
  private readonly steps: InputStep[] = [];

  static async run(start: InputStep): Promise<void> {
    const input = new MultiStepInput();
    return input.stepThrough(start);
  }

  private async stepThrough(start: InputStep): Promise<void> {
    let step: InputStep | void = start;
    while (step) {
      this.steps.push(step);
      if (this.current) {
        this.current.enabled = false;
        this.current.busy = true;
      }
      try {
        step = await step(this);
      } catch (err) {
        if (err instanceof InputFlowBack) {
          this.steps.pop();
          step = this.steps.pop();
        } else {
          this.current?.dispose();
          throw err;
        }
      }
    }
    this.current?.dispose();
  }

  async showQuickPick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T>((resolve, reject) => {
        const input = vscode.window.createQuickPick<T>();
        input.title = options.title;
        input.step = options.step;
        input.totalSteps = options.totalSteps;
        input.placeholder = options.placeholder;
        input.ignoreFocusOut = true;
        input.items = options.items;
        if (options.activeItem) {
          input.activeItems = [options.activeItem];
        }
        input.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          input.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new InputFlowBack());
            }
          }),
          input.onDidChangeSelection((items) => {
            if (items[0]) {
              resolve(items[0]);
            }
          }),
          input.onDidHide(() => reject(new InputFlowCancelled())),
        );
        this.current?.dispose();
        this.current = input;
        this.current.show();
      });
    } finally {
      disposables.forEach((d) => {
        d.dispose();
      });
    }
  }

  /** A pick of several items; Enter accepts the checked ones (at least `minimum`). */
  async showMultiPick<T extends vscode.QuickPickItem>(options: PickOptions<T> & { selected: readonly T[]; minimum?: number }): Promise<T[]> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<T[]>((resolve, reject) => {
        const input = vscode.window.createQuickPick<T>();
        input.title = options.title;
        input.step = options.step;
        input.totalSteps = options.totalSteps;
        input.placeholder = options.placeholder;
        input.ignoreFocusOut = true;
        input.canSelectMany = true;
        input.items = options.items;
        input.selectedItems = options.selected;
        input.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          input.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new InputFlowBack());
            }
          }),
          input.onDidAccept(() => {
            if (input.selectedItems.length < (options.minimum ?? 0)) {
              input.placeholder = `Select at least ${options.minimum ?? 0}. ${options.placeholder}`;
              return;
            }
            resolve([...input.selectedItems]);
          }),
          input.onDidHide(() => reject(new InputFlowCancelled())),
        );
        this.current?.dispose();
        this.current = input;
        this.current.show();
      });
    } finally {
      disposables.forEach((d) => {
        d.dispose();
      });
    }
  }

  async showInputBox(options: TextOptions): Promise<string> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<string>((resolve, reject) => {
        const input = vscode.window.createInputBox();
        input.title = options.title;
        input.step = options.step;
        input.totalSteps = options.totalSteps;
        input.value = options.value;
        input.prompt = options.prompt;
        input.placeholder = options.placeholder;
        input.password = options.password ?? false;
        input.ignoreFocusOut = true;
        input.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        let checking = false;
        const validate = (value: string) => options.validate?.(value);
        input.validationMessage = options.value ? validate(options.value) : undefined;
        disposables.push(
          input.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new InputFlowBack());
            }
          }),
          input.onDidChangeValue((value) => {
            input.validationMessage = validate(value);
          }),
          input.onDidAccept(() => void onAccept()),
          input.onDidHide(() => reject(new InputFlowCancelled())),
        );
        const onAccept = async () => {
            if (checking) {
              return;
            }
            const value = input.value;
            const message = validate(value);
            if (message) {
              input.validationMessage = message;
              return;
            }
            if (!options.accept) {
              resolve(value);
              return;
            }
            checking = true;
            input.enabled = false;
            input.busy = true;
            try {
              const problem = await options.accept(value);
              if (problem) {
                input.validationMessage = { message: problem, severity: vscode.InputBoxValidationSeverity.Error };
              } else {
                resolve(value);
              }
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            } finally {
              checking = false;
              input.enabled = true;
              input.busy = false;
            }
        };
        this.current?.dispose();
        this.current = input;
        this.current.show();
      });
    } finally {
      disposables.forEach((d) => {
        d.dispose();
      });
    }
  }
}
