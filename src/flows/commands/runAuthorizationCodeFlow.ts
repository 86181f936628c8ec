import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import { resolveClient } from '../../clients/commandArgs';
import { inertText } from '../../slashid/untrustedText';
import { createPkce, randomUrlSafe } from '../../slashid/authorization';
import {
  LoopbackCancelledError,
  LoopbackTimeoutError,
  sameSecret,
  startLoopbackRedirect,
  withPort,
  type AuthorizationCallback,
  type LoopbackRedirect,
} from '../../slashid/loopbackRedirect';
import { loginHintOf } from '../../slashid/personSearch';
import { withoutTrailingSlashes } from '../../slashid/contract';
import type { OAuth2Client } from '../../slashid/schemas';
import { tokenSetViews } from '../../tokenPanels/oauthTokenViews';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';
import type { TokenView } from '../../tokenPanels/protocol';
import { PASTE_ACTION, type PendingAuthorization } from '../pendingAuthorization';
import { LoopbackRegistration } from '../loopbackRegistration';

export interface CodeFlowResult {
  readonly viewer: TokenViewerController;
  readonly views: readonly TokenView[];
  /** Which way the browser's answer was to come back: the loopback listener, or VS Code's URI handler. */
  readonly route: 'loopback' | 'editor';
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
  const loopback = new LoopbackRegistration(services);
  try {
    return await codeFlow(services, pending, loopback, node);
  } finally {
    // Succeeded or not: a redirect URI this run added is offered for removal (the answer is not awaited).
    void loopback.offerRemoval();
  }
}

async function codeFlow(
  services: Services,
  pending: PendingAuthorization,
  loopback: LoopbackRegistration,
  node?: unknown,
): Promise<CodeFlowResult | undefined> {
  const ref = await resolveClient(services, node, 'Run the authorization-code flow for which client?', (c) =>
    c.grant_types.includes('authorization_code'),
  );
  if (!ref) return undefined;
  const { target } = ref;
  let client = ref.client;
  const name = inertText(client.client_name || client.client_id, 100);
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
  // VS Code's own redirect (its URI handler) when the client has it registered and the editor routes it as
  // it is (a desktop window); the loopback listener otherwise. Pasting the address the browser ended on
  // finishes either.
  const editorUri = await services.browser.editorRedirectUri();
  const viaEditor = editorUri !== undefined && (client.redirect_uris ?? []).includes(editorUri);
  let registered: { uri: string; client: OAuth2Client } | undefined;
  if (!viaEditor) {
    registered = await loopback.redirectUri(target, client, name);
    if (!registered) return undefined;
    client = registered.client;
  }

  const scopes = await pickScopes(services, client, name);
  if (!scopes) return undefined;
  const typedHint = await services.ui.input({
    title: `Sign in to "${name}"`,
    prompt:
      'Login hint (optional): an email address, a phone number with its country code (+…), a username or a person ID; leave empty to choose the person in the browser',
    value: '',
    validate: (value) => {
      const hint = loginHintOf(value);
      return hint.ok ? undefined : hint.problem;
    },
  });
  if (typedHint === undefined) return undefined;
  const hint = loginHintOf(typedHint);
  if (!hint.ok) throw new UserFacingError(hint.problem);

  const api = await services.orgApis.forTarget(target);
  const { codeVerifier, codeChallenge } = createPkce();
  const state = randomUrlSafe(32);
  const nonce = randomUrlSafe(32);
  const issuer = withoutTrailingSlashes(api.baseUrl);
  const listener = registered ? await startLoopbackRedirect(new URL(registered.uri).pathname, state) : undefined;
  let redirectUri = registered && listener ? withPort(registered.uri, listener.port) : editorUri!;
  let callback: AuthorizationCallback;
  let route: WaitingRoute;
  try {
    if (listener) {
      const local = redirectUri;
      // In a remote window the editor forwards the listener's port to the browser's machine.
      redirectUri = await services.browser.redirectUri(redirectUri);
      listener.allowHostOf(redirectUri);
      route = loopbackRoute(redirectUri !== local, editorUri !== undefined);
    } else {
      route = { kind: 'editor', why: `it comes back through VS Code's own redirect URI, which "${name}" has registered` };
    }
    const url = api.authorizationUrl({
      clientId: client.client_id,
      redirectUri,
      scopes,
      state,
      codeChallenge,
      nonce,
      ...(hint.hint !== undefined ? { loginHint: hint.hint } : {}),
    });
    services.log.info(
      'flows',
      `authorization-code flow for ${client.client_id}: waiting ${route.kind === 'editor' ? "on VS Code's URI handler" : 'on a loopback port'}`,
    );
    callback = await pending.run(
      name,
      { state, issuer },
      async (signal, delivered) =>
        await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: `Waiting for the sign-in to "${name}" in your browser`,
            cancellable: true,
          },
          async (progress, token) => {
            progress.report({
              message: `${route.why}; if the browser cannot come back, paste the address it ended on ("${PASTE_ACTION}" in the status bar or the palette).`,
            });
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
              return await firstAnswer(listener, delivered, timeoutMs(), cancelled.signal);
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
    listener?.close();
  }

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
  return { viewer, views: shown.map((s) => s.view), route: route.kind };
}

/** Which way the browser's answer comes back, and why (shown in the waiting notification). */
interface WaitingRoute {
  readonly kind: 'loopback' | 'editor';
  /** Completes "Waiting for the sign-in …: <why>; if the browser cannot come back, paste …". */
  readonly why: string;
}

function loopbackRoute(forwarded: boolean, editorCouldRoute: boolean): WaitingRoute {
  const web = vscode.env.uiKind === vscode.UIKind.Web;
  const remote = vscode.env.remoteName !== undefined;
  if (forwarded) return { kind: 'loopback', why: 'it comes back to a loopback port that VS Code forwards to this remote machine' };
  if (web || remote) {
    return {
      kind: 'loopback',
      why: `it comes back to a loopback port of the machine VS Code runs on${web ? ' (a browser-based editor has no fixed redirect URI of its own)' : ''}, which a browser on another machine cannot reach`,
    };
  }
  return {
    kind: 'loopback',
    why: `it comes back to a loopback port of this computer${editorCouldRoute ? ' (the client has no VS Code redirect URI registered)' : ''}`,
  };
}

/**
 * The first answer: the loopback listener's (when there is one) or one delivered by a pasted address or
 * the URI handler. The other is closed: the listener stops when a delivered answer wins. Rejects with
 * LoopbackTimeoutError after `timeoutMs` and with LoopbackCancelledError when `signal` aborts.
 */
async function firstAnswer(
  listener: LoopbackRedirect | undefined,
  delivered: Promise<AuthorizationCallback>,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<AuthorizationCallback> {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) stop.abort();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const waited =
      listener?.wait(timeoutMs, stop.signal) ??
      new Promise<never>((_resolve, reject) => {
        if (stop.signal.aborted) return reject(new LoopbackCancelledError());
        timer = setTimeout(() => reject(new LoopbackTimeoutError(Math.round(timeoutMs / 1000))), timeoutMs);
        stop.signal.addEventListener('abort', () => reject(new LoopbackCancelledError()), { once: true });
      });
    return await Promise.race([waited, delivered]);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    stop.abort();
  }
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
