import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import { resolveClient } from '../../clients/commandArgs';
import { inertLabel, inertText } from '../../slashid/untrustedText';
import { createPkce, randomUrlSafe } from '../../slashid/client';
import {
  DEFAULT_LOOPBACK_REDIRECT_URI,
  LoopbackCancelledError,
  LoopbackTimeoutError,
  isLoopbackRedirectUri,
  sameSecret,
  startLoopbackRedirect,
  withPort,
  type AuthorizationCallback,
} from '../../slashid/loopbackRedirect';
import { withoutTrailingSlashes } from '../../slashid/contract';
import type { OAuth2Client } from '../../slashid/schemas';
import type { OrgTarget } from '../../orgs/orgTarget';
import { tokenSetViews } from '../../tokenPanels/oauthTokenViews';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';
import type { TokenView } from '../../tokenPanels/protocol';
import type { PendingAuthorization } from '../pendingAuthorization';

export interface CodeFlowResult {
  readonly viewer: TokenViewerController;
  readonly views: readonly TokenView[];
}

const SCOPE_NOTES: Record<string, string> = {
  openid: 'an ID token (OpenID Connect), checked here for its nonce, audience and at_hash',
  offline_access: 'a refresh token, to get new tokens without signing in again',
};

let flowCount = 0;

/**
 * "SlashID: Run Authorization Code Flow": PKCE S256, a random state and nonce, a one-shot loopback
 * listener on 127.0.0.1 (RFC 8252 §7.3), the authorization URL opened in the browser, the state checked,
 * the code exchanged (a confidential client with its stored secret, a public one with none), the ID token
 * validated, and the tokens opened in the token panel. Nothing of the flow is logged or stored.
 */
export async function runAuthorizationCodeFlow(
  services: Services,
  pending: PendingAuthorization,
  node?: unknown,
): Promise<CodeFlowResult | undefined> {
  const ref = await resolveClient(services, node, 'Run the authorization-code flow for which client?', (c) =>
    c.grant_types.includes('authorization_code'),
  );
  if (!ref) return undefined;
  const { target } = ref;
  let client = ref.client;
  const name = inertLabel(client.client_name || client.client_id, 100);
  if (!client.grant_types.includes('authorization_code')) {
    throw new UserFacingError(
      `"${name}" does not allow the authorization-code grant, so the flow cannot run; add it with "SlashID: Edit Client".`,
    );
  }
  let secret: string | undefined;
  if (!client.public) {
    secret = await services.vault.getClientSecret(target.connection.id, client.client_id);
    if (!secret) {
      throw new UserFacingError(
        `No secret is stored for "${name}", a confidential client, so its authorization code could not be exchanged; store it with "SlashID: Store Existing Client Secret" (or rotate it) and run the flow again.`,
      );
    }
  }
  const registered = await loopbackRedirectUri(services, target, client, name);
  if (!registered) return undefined;
  client = registered.client;

  const scopes = await pickScopes(services, client, name);
  if (!scopes) return undefined;
  const hint = await services.ui.input({
    title: `Sign in to "${name}"`,
    prompt: 'Login hint (optional): a person ID or a handle such as email_address:alice@example.com; leave empty to choose in the browser',
    value: '',
  });
  if (hint === undefined) return undefined;

  const api = await services.orgApis.forTarget(target);
  const { codeVerifier, codeChallenge } = createPkce();
  const state = randomUrlSafe(32);
  const nonce = randomUrlSafe(32);
  const listener = await startLoopbackRedirect(new URL(registered.uri).pathname);
  let redirectUri = withPort(registered.uri, listener.port);
  let callback: AuthorizationCallback;
  try {
    // In a remote window the editor forwards the listener's port to the browser's machine.
    redirectUri = await services.browser.redirectUri(redirectUri);
    const url = api.authorizationUrl({
      clientId: client.client_id,
      redirectUri,
      scopes,
      state,
      codeChallenge,
      nonce,
      ...(hint.trim() ? { loginHint: hint.trim() } : {}),
    });
    services.log.info('flows', `authorization-code flow for ${client.client_id}: waiting on a loopback port`);
    callback = await pending.run(
      name,
      async (signal) =>
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Waiting for the sign-in to "${name}" in your browser…`,
            cancellable: true,
          },
          async (_progress, token) => {
            const cancelled = new AbortController();
            const onCancel = token.onCancellationRequested(() => cancelled.abort());
            const abort = () => cancelled.abort();
            signal.addEventListener('abort', abort, { once: true });
            try {
              if (!(await services.browser.open(url))) {
                throw new UserFacingError(
                  `The browser could not be opened for the sign-in to "${name}", so the flow stopped; check VS Code's default browser and try again.`,
                );
              }
              return await listener.wait(timeoutMs(), cancelled.signal);
            } finally {
              onCancel.dispose();
              signal.removeEventListener('abort', abort);
            }
          },
        ),
    );
  } catch (err) {
    if (err instanceof LoopbackCancelledError) {
      void services.ui.info(`The sign-in to "${name}" was cancelled, so no tokens were requested.`);
      return undefined;
    }
    if (err instanceof LoopbackTimeoutError) {
      throw new UserFacingError(
        `No answer came back from the browser within ${err.seconds} s, so the sign-in to "${name}" was abandoned; run the flow again and finish signing in (or raise "slashid.authorizationCodeFlow.timeout").`,
      );
    }
    throw err;
  } finally {
    listener.close();
  }

  const issuer = withoutTrailingSlashes(api.baseUrl);
  checkCallback(callback, state, issuer, name);
  const tokens = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exchanging the authorization code of "${name}"…` },
    () =>
      api.exchangeAuthorizationCode({
        client: { clientId: client.client_id, ...(secret !== undefined ? { clientSecret: secret } : {}) },
        code: callback.code,
        redirectUri,
        codeVerifier,
      }),
  );
  const shown = await tokenSetViews(
    services,
    tokens,
    { target, clientId: client.client_id, clientName: client.client_name || client.client_id, publicClient: client.public === true },
    { idPrefix: `flow${++flowCount}`, nonce },
  );
  services.log.info('flows', `authorization-code flow for ${client.client_id}: ${shown.length} tokens received`);
  const viewer = showTokenViewer(services, {
    title: `Sign-in to ${name}`,
    summary: `Authorization code flow with PKCE (S256) as a ${client.public ? 'public client (no secret sent)' : 'confidential client'}; scopes: ${inertText(tokens.scope ?? scopes.join(' '), 300)}.`,
    tokens: shown,
  });
  return { viewer, views: shown.map((s) => s.view) };
}

/** The redirect answer must carry this request's state, no error, our issuer (RFC 9207) and a code. */
function checkCallback(
  callback: AuthorizationCallback,
  state: string,
  issuer: string,
  name: string,
): asserts callback is AuthorizationCallback & { code: string } {
  if (!sameSecret(callback.state, state)) {
    throw new UserFacingError(
      `The answer that came back from the browser for "${name}" carries another state than the request sent, so it was ignored (it may be forged or from an older sign-in); run the flow again.`,
    );
  }
  if (callback.iss !== undefined && withoutTrailingSlashes(callback.iss) !== issuer) {
    throw new UserFacingError(
      `The answer for "${name}" names another issuer (${inertText(callback.iss, 120)}) than the organization's API, so it was ignored (RFC 9207); run the flow again.`,
    );
  }
  if (callback.error !== undefined) {
    const description = callback.errorDescription ? `: ${inertText(callback.errorDescription, 200)}` : '';
    const what =
      callback.error === 'access_denied'
        ? 'the sign-in was cancelled or refused in the browser; run the flow again to sign in'
        : 'correct what it names and run the flow again';
    throw new UserFacingError(
      `The sign-in to "${name}" ended with the error ${inertText(callback.error, 64)}${description}, so no tokens were issued; ${what}.`,
    );
  }
  if (!callback.code) {
    throw new UserFacingError(
      `The answer for "${name}" came back without an authorization code or an error, so there is nothing to exchange; run the flow again.`,
    );
  }
}

/** A loopback redirect URI of the client, or (after a modal confirmation) the default one added to it. */
async function loopbackRedirectUri(
  services: Services,
  target: OrgTarget,
  client: OAuth2Client,
  name: string,
): Promise<{ uri: string; client: OAuth2Client } | undefined> {
  const existing = (client.redirect_uris ?? []).find(isLoopbackRedirectUri);
  if (existing) return { uri: existing, client };
  const add = await services.ui.confirm(
    `Add the redirect URI ${DEFAULT_LOOPBACK_REDIRECT_URI} to "${name}"?`,
    `VS Code receives the authorization code on a loopback address of this computer (RFC 8252 §7.3: http://127.0.0.1 on any port), and none of the client's redirect URIs is one. Adding ${DEFAULT_LOOPBACK_REDIRECT_URI} changes the client in SlashID (its other redirect URIs stay); cancel to leave it as it is.`,
    'Add Redirect URI',
  );
  if (!add) {
    throw new UserFacingError(
      `The flow was not started: "${name}" has no loopback redirect URI registered (http://127.0.0.1/…) for VS Code to receive the code on; add ${DEFAULT_LOOPBACK_REDIRECT_URI} when asked or with "SlashID: Edit Client".`,
    );
  }
  const api = await services.orgApis.forTarget(target);
  const updated = await api.updateClient(client.client_id, {
    redirect_uris: [...(client.redirect_uris ?? []), DEFAULT_LOOPBACK_REDIRECT_URI],
  });
  services.model.upsertClient(target, updated);
  services.log.info('flows', `added the loopback redirect URI to ${client.client_id}`);
  return { uri: DEFAULT_LOOPBACK_REDIRECT_URI, client: updated };
}

async function pickScopes(services: Services, client: OAuth2Client, name: string): Promise<string[] | undefined> {
  if (client.scopes.length === 0) {
    throw new UserFacingError(
      `"${name}" has no scopes, and an authorization request needs one; add scopes (openid for an ID token) with "SlashID: Edit Client".`,
    );
  }
  const picked = await services.ui.pickMany(
    client.scopes.map((s) => ({ label: s, description: SCOPE_NOTES[s], picked: true })),
    {
      title: `Scopes for the sign-in to "${name}"`,
      placeholder: 'Scopes to request: openid adds an ID token, offline_access a refresh token',
    },
  );
  if (!picked) return undefined;
  if (picked.length === 0) {
    throw new UserFacingError(
      'No scope was chosen, so there is nothing to request; run the flow again and choose at least one scope (openid for an ID token).',
    );
  }
  return picked.map((p) => p.label);
}

function timeoutMs(): number {
  const seconds = vscode.workspace.getConfiguration('slashid').get<number>('authorizationCodeFlow.timeout', 300);
  return Math.max(1, seconds) * 1000;
}
