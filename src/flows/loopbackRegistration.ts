import type { Services } from '../services';
import { UserFacingError, describeFailure } from '../common/failures';
import { DEFAULT_LOOPBACK_REDIRECT_URI, isLoopbackRedirectUri } from '../slashid/loopbackRedirect';
import { PRODUCTION_BASE_URL, withoutTrailingSlashes } from '../slashid/contract';
import { isLostAnswer, namingClient } from '../slashid/errors';
import type { OAuth2Client } from '../slashid/schemas';
import { inertText } from '../slashid/untrustedText';
import type { OrgTarget } from '../orgs/orgTarget';

/** The actions of the notification shown when a flow that added the loopback redirect URI ends. */
export const REMOVE_REDIRECT_URI = 'Remove Redirect URI';
export const KEEP_REDIRECT_URI = 'Keep';

/** True when the target's organization lives in SlashID's production environment (chosen as such, or by its URL). */
export function isProductionTarget(target: OrgTarget): boolean {
  return target.connection.environment === 'production' || withoutTrailingSlashes(target.connection.baseUrl) === PRODUCTION_BASE_URL;
}

interface Added {
  readonly target: OrgTarget;
  readonly clientId: string;
  readonly name: string;
  readonly uri: string;
  readonly productionPublic: boolean;
}

/**
 * The loopback redirect URI of one run of the authorization-code flow: the client's own, or the default
 * one added to it after a modal confirmation (which warns when the client is a public client of a
 * production organization: while the URI is registered, any program on a person's computer can run that
 * client's sign-in and receive the person's tokens, no secret needed). When the flow ends, a URI this run
 * added is offered for removal (`offerRemoval`), and only that URI is removed.
 */
export class LoopbackRegistration {
  private added: Added | undefined;

  constructor(private readonly services: Services) {}

  /** A loopback redirect URI of the client, or (after a modal confirmation) the default one added to it. */
  async redirectUri(target: OrgTarget, client: OAuth2Client, name: string): Promise<{ uri: string; client: OAuth2Client } | undefined> {
    const { services } = this;
    const existing = (client.redirect_uris ?? []).find(isLoopbackRedirectUri);
    if (existing) return { uri: existing, client };
    const uri = DEFAULT_LOOPBACK_REDIRECT_URI;
    const productionPublic = client.public === true && isProductionTarget(target);
    const warning = productionPublic
      ? ` Warning: "${name}" is a public client of a production organization, so while ${uri} is registered any program on a person's computer can run its sign-in and receive that person's tokens (no secret is needed); remove it when the flow ends (you will be asked).`
      : ' You can remove it again when the flow ends.';
    const add = await services.ui.confirm(
      `Add the redirect URI ${uri} to "${name}"?`,
      `VS Code receives the authorization code on a loopback address of this computer (RFC 8252 §7.3: http://127.0.0.1 on any port), and none of the client's redirect URIs is one. Adding ${uri} changes the client in SlashID (its other redirect URIs stay); cancel to leave it as it is.${warning}`,
      'Add Redirect URI',
    );
    if (!add) {
      throw new UserFacingError(
        `The flow was not started: "${name}" has no loopback redirect URI registered (http://127.0.0.1/…) for VS Code to receive the code on; add ${uri} when asked or with "SlashID: Edit Client".`,
      );
    }
    const api = await services.orgApis.forTarget(target);
    let updated: OAuth2Client;
    try {
      // Re-read: the list the flow started from may be stale, and every current URI must stay.
      const current = await api.getClient(client.client_id);
      const loopback = (current.redirect_uris ?? []).find(isLoopbackRedirectUri);
      if (loopback) {
        services.model.upsertClient(target, current);
        return { uri: loopback, client: current };
      }
      updated = await api.updateClient(client.client_id, { redirect_uris: [...(current.redirect_uris ?? []), uri] });
    } catch (err) {
      namingClient(err, client.client_name);
      if (isLostAnswer(err)) {
        services.model.invalidate(target);
        throw new UserFacingError(
          `The redirect URI ${uri} was sent to "${name}" but no answer arrived (${describeFailure(err)}), so the flow did not start; SlashID may have added it: the list is refreshed, run the flow again.`,
        );
      }
      throw err;
    }
    this.added = { target, clientId: client.client_id, name, uri, productionPublic };
    services.model.upsertClient(target, updated);
    services.log.info('flows', `added the loopback redirect URI to ${client.client_id}`);
    return { uri, client: updated };
  }

  /**
   * When this run added its redirect URI: a notification that offers to remove it ("Remove Redirect URI"
   * / "Keep"). Removing re-reads the client and takes out only that URI, keeping its current others.
   * Never throws; the caller need not wait for the person's answer.
   */
  async offerRemoval(): Promise<void> {
    const added = this.added;
    this.added = undefined;
    if (!added) return;
    const { services } = this;
    try {
      const question = added.productionPublic
        ? `The redirect URI ${added.uri} is still registered on "${added.name}", a public client of a production organization, so any program on a person's computer can run its sign-in; remove it unless you need it.`
        : `The redirect URI ${added.uri} that this sign-in added is still registered on "${added.name}"; remove it unless VS Code should sign in to this client again.`;
      const show = added.productionPublic ? services.ui.warn.bind(services.ui) : services.ui.info.bind(services.ui);
      if ((await show(question, REMOVE_REDIRECT_URI, KEEP_REDIRECT_URI)) !== REMOVE_REDIRECT_URI) return;
      await this.remove(added);
    } catch (err) {
      services.log.warn('flows', `the offer to remove the loopback redirect URI of ${added.clientId} failed: ${describeFailure(err)}`);
    }
  }

  private async remove(added: Added): Promise<void> {
    const { services } = this;
    const { target, clientId, uri } = added;
    let name = added.name;
    try {
      const api = await services.orgApis.forTarget(target);
      // Re-read: the client may have changed since the flow started; only our URI goes.
      const current = await api.getClient(clientId);
      name = inertText(current.client_name || clientId, 100);
      const uris = current.redirect_uris ?? [];
      if (!uris.includes(uri)) {
        services.model.upsertClient(target, current);
        void services.ui.info(`"${name}" no longer has the redirect URI ${uri}, so nothing was removed.`);
        return;
      }
      const rest = uris.filter((u) => u !== uri);
      if (rest.length === 0 && current.grant_types.includes('authorization_code')) {
        void services.ui.warn(
          `The redirect URI ${uri} was kept on "${name}" because it is the client's only one and its authorization-code grant needs one; change the client with "SlashID: Edit Client".`,
        );
        return;
      }
      const updated = await api.updateClient(clientId, { redirect_uris: rest });
      services.model.upsertClient(target, updated);
      services.log.info('flows', `removed the loopback redirect URI from ${clientId}`);
      void services.ui.info(`Removed the redirect URI ${uri} from "${name}"; its other redirect URIs are unchanged.`);
    } catch (err) {
      namingClient(err, name);
      if (isLostAnswer(err)) services.model.invalidate(target);
      const uncertain = isLostAnswer(err) ? ' SlashID may have removed it:' : '';
      void services.ui.error(
        `The redirect URI ${uri} could not be removed from "${name}" (${describeFailure(err)});${uncertain} check the client and remove it with "SlashID: Edit Client".`,
      );
    }
  }
}
