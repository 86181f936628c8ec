import type { Services } from '../../services';
import { CANCEL_ACTION, PASTE_ACTION, type PendingAuthorization } from '../pendingAuthorization';
import { pasteRedirectAddress } from './pasteRedirectAddress';

/**
 * The waiting sign-in's status bar item (and "SlashID: Show Waiting Sign-In"): a quick pick to paste the
 * address the browser ended on, or to cancel.
 */
export async function showPendingSignIn(services: Services, pending: PendingAuthorization): Promise<boolean> {
  const name = pending.clientName;
  if (name === undefined) {
    void services.ui.info('No sign-in is waiting for the browser; run "SlashID: Run Authorization Code Flow" to start one.');
    return false;
  }
  const choice = await services.ui.pick(
    [
      { label: PASTE_ACTION, description: 'when the browser cannot reach VS Code, e.g. it shows "This site can\'t be reached"' },
      { label: CANCEL_ACTION, description: 'stop waiting; no tokens are requested' },
    ],
    {
      title: `The sign-in to "${name}" is waiting for the browser`,
      placeholder: 'Finish it with the address from the browser, or cancel it',
    },
  );
  if (choice?.label === PASTE_ACTION) return pasteRedirectAddress(services, pending);
  if (choice?.label === CANCEL_ACTION) return pending.cancel();
  return false;
}
