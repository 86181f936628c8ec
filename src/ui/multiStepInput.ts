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
  title?: string;
  /** Omitted for a single question (no "1/1" counter). */
  step?: number;
  totalSteps?: number;
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
    const input = vscode.window.createQuickPick<T>();
    input.placeholder = options.placeholder;
    input.items = options.items;
    if (options.activeItem) {
      input.activeItems = [options.activeItem];
    }
    return this.present<T>(input, options, (resolve) => [
      input.onDidChangeSelection((items) => {
        if (items[0]) {
          resolve(items[0]);
        }
      }),
    ]);
  }

  /** A pick of several items; Enter accepts the checked ones (at least `minimum`). */
  async showMultiPick<T extends vscode.QuickPickItem>(
    options: PickOptions<T> & { selected: readonly T[]; minimum?: number },
  ): Promise<T[]> {
    const input = vscode.window.createQuickPick<T>();
    input.placeholder = options.placeholder;
    input.canSelectMany = true;
    input.items = options.items;
    input.selectedItems = options.selected;
    const minimum = options.minimum ?? 0;
    return this.present<T[]>(input, options, (resolve) => [
      input.onDidAccept(() => {
        if (input.selectedItems.length < minimum) {
          input.placeholder = `Select at least ${minimum}. ${options.placeholder}`;
          return;
        }
        resolve([...input.selectedItems]);
      }),
    ]);
  }

  async showInputBox(options: TextOptions): Promise<string> {
    const input = vscode.window.createInputBox();
    input.value = options.value;
    input.prompt = options.prompt;
    input.placeholder = options.placeholder;
    input.password = options.password ?? false;
    const validate = (value: string) => options.validate?.(value);
    input.validationMessage = options.value ? validate(options.value) : undefined;
    let checking = false;
    return this.present<string>(input, options, (resolve, reject) => {
      const accept = async () => {
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
        // Busy while the check (e.g. an API call) runs; a refusal keeps the box open to retry.
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
      return [
        input.onDidChangeValue((value) => {
          input.validationMessage = validate(value);
        }),
        input.onDidAccept(() => {
          if (!checking) {
            void accept();
          }
        }),
      ];
    });
  }

  /**
   * Shows `input` as this step (replacing the previous step's input), with the title, step counter,
   * Back button and close handling every step shares; `wire` adds the step's own listeners.
   */
  private async present<R>(
    input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
    options: CommonOptions,
    wire: (resolve: (value: R) => void, reject: (err: Error) => void) => vscode.Disposable[],
  ): Promise<R> {
    const disposables: vscode.Disposable[] = [];
    try {
      return await new Promise<R>((resolve, reject) => {
        input.title = options.title;
        input.step = options.step;
        input.totalSteps = options.totalSteps;
        input.ignoreFocusOut = true;
        input.buttons = this.steps.length > 1 ? [vscode.QuickInputButtons.Back] : [];
        disposables.push(
          input.onDidTriggerButton((button) => {
            if (button === vscode.QuickInputButtons.Back) {
              reject(new InputFlowBack());
            }
          }),
          input.onDidHide(() => reject(new InputFlowCancelled())),
          ...wire(resolve, reject),
        );
        this.current?.dispose();
        this.current = input;
        this.current.show();
      });
    } finally {
      for (const d of disposables) {
        d.dispose();
      }
    }
  }
}
