import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import type { PendingAuthorization } from '../pendingAuthorization';

/**
 * "SlashID: Paste Address from Browser…": finishes the waiting authorization-code flow with the address
 * the browser ended on, when the redirect cannot reach the loopback listener (a browser on another
 * machine, a web-based remote). The address is checked as the listener checks its request (state, in
 * constant time, and the RFC 9207 issuer); the box says what is wrong without quoting the code, and
 * nothing of it is logged. The first answer wins: the listener closes when the pasted one is taken.
 * Returns whether the address was handed to the flow (never the address).
 */
export async function pasteRedirectAddress(services: Services, pending: PendingAuthorization): Promise<boolean> {
  const name = pending.clientName;
  if (name === undefined) {
    throw new UserFacingError(
      'No sign-in is waiting for the browser, so there is no address to paste; run "SlashID: Run Authorization Code Flow" first.',
    );
  }
  const address = await services.ui.input({
    title: `Finish the sign-in to "${name}"`,
    prompt:
      'Paste the whole address your browser ended on after signing in (from its address bar, even if the page did not load); it is checked against this sign-in and never logged',
    placeholder: 'http://127.0.0.1:…/callback?code=…&state=…',
    validate: (value) => pending.checkPasted(value),
  });
  if (address === undefined) return false; // the sign-in keeps waiting
  if (!pending.deliverPasted(address)) {
    void services.ui.info(`The sign-in to "${name}" had already ended when the address was pasted, so it was not used.`);
    return false;
  }
  services.log.info('flows', 'authorization-code flow: the answer was pasted from the browser');
  return true;
}
