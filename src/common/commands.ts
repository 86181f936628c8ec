import * as vscode from 'vscode';
import type { Services } from '../services';
import { describeFailure } from './failures';

/**
 * Registers a command whose failures are logged and shown as one clear sentence, never left as an
 * unhandled rejection. The handler's result is returned to `executeCommand` callers (tests use it).
 */
export function registerCommand(
  services: Services,
  id: string,
  // Command arguments come from VS Code untyped; each handler checks what it receives.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (...args: any[]) => unknown,
): void {
  services.context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(...args);
      } catch (err) {
        const message = describeFailure(err);
        services.log.error('command', `${id} failed: ${message}`);
        void services.ui.error(message, 'Show Log').then((choice) => {
          if (choice === 'Show Log') {
            services.log.show();
          }
        });
        return undefined;
      }
    }),
  );
}
