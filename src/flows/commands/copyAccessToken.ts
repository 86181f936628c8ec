import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import { resolveClient } from '../../clients/commandArgs';
import { inertLabel, inertText } from '../../slashid/untrustedText';
import { AccessTokenCache } from '../accessTokenCache';
import type { AccessTokenStatus } from '../accessTokenStatus';

/** What the command did; never the token. */
export interface CopyAccessTokenResult {
  readonly fromCache: boolean;
  readonly expiresAt: number;
  /** What the status bar item shows. */
  readonly status: string;
}

/**
 * "SlashID: Copy Access Token": a client-credentials access token (the client's default scopes) on the
 * clipboard, from the in-memory cache while it has more than a minute left, otherwise a new one; the
 * status bar then shows how long it has left.
 */
export async function copyAccessToken(
  services: Services,
  cache: AccessTokenCache,
  status: AccessTokenStatus,
  node?: unknown,
): Promise<CopyAccessTokenResult | undefined> {
  const ref = await resolveClient(services, node, 'Copy an access token of which client?', (c) =>
    c.grant_types.includes('client_credentials'),
  );
  if (!ref) return undefined;
  const { target, client } = ref;
  const name = inertText(client.client_name || client.client_id, 100);
  if (!client.grant_types.includes('client_credentials')) {
    throw new UserFacingError(
      `"${name}" does not allow the client-credentials grant, so it cannot get a token on its own; add the grant with "SlashID: Edit Client".`,
    );
  }
  const key = AccessTokenCache.key(target.connection.id, target.orgId, client.client_id);
  let cached = cache.get(key);
  const fromCache = cached !== undefined;
  if (!cached) {
    const secret = await services.vault.getClientSecret(target.connection.id, client.client_id);
    if (!secret) {
      throw new UserFacingError(
        `No secret is stored for "${name}", so no access token can be requested; store it with "SlashID: Store Existing Client Secret" (or rotate it) and try again.`,
      );
    }
    const api = await services.orgApis.forTarget(target);
    const token = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Requesting an access token for "${inertLabel(name)}"…` },
      () => api.getClientCredentialsToken(client.client_id, secret),
    );
    cached = cache.put(key, token.access_token, token.expires_in);
    services.log.info('flows', `new client-credentials token for ${client.client_id} (expires in ${token.expires_in} s)`);
  }
  await vscode.env.clipboard.writeText(cached.token);
  status.show(name, cached.expiresAt);
  const left = Math.round((cached.expiresAt - Date.now()) / 60_000);
  vscode.window.setStatusBarMessage(
    `$(check) Copied ${fromCache ? 'the cached' : 'a new'} access token of "${name}" (${left} min left)`,
    4_000,
  );
  return { fromCache, expiresAt: cached.expiresAt, status: status.text };
}
