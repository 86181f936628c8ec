import type { Services } from '../services';
import { describeFailure } from './failures';

/**
 * Registers a command whose failures are logged and shown as one clear sentence, never left as an
 * unhandled rejection. Any extension can run our commands, so they return nothing to `executeCommand`
 * callers (a result may hold a token or a secret): the handler's result goes only to the test hooks.
 */
export function registerCommand(
  services: Services,
  id: string,
  // Command arguments come from VS Code untyped; each handler checks what it receives.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  handler: (...args: any[]) => unknown,
): void {
  services.context.subscriptions.push(
    services.shell.registerCommand(id, async (...args: unknown[]): Promise<undefined> => {
      try {
        const result = await handler(...args);
        services.commandResults?.record(result);
        return undefined;
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
