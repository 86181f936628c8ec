import type { Services } from '../services';
import type { OAuthClientAuth } from '../slashid/client';
import { UserFacingError, describeFailure } from '../common/failures';
import { inertText } from '../slashid/untrustedText';
import type { Reply, TokenAction, TokenView } from './protocol';
import type { HeldToken, TokenOrigin } from './panelTokens';
import { tokenSetViews } from './oauthTokenViews';
import { prettyJson } from './tokenInspection';

/**
 * What the token panel's buttons do with a token whose client it knows: Refresh (a refresh token: new
 * tokens beside the old ones; the used refresh token is retired, since SlashID rotates them), Revoke
 * (RFC 7009, then introspection shows the token inactive), Userinfo (an access token granted `openid`)
 * and Introspect (confidential clients). Every failure is a sentence in the reply.
 */

export interface TokenActionOutcome {
  readonly reply: Extract<Reply, { kind: 'tokenActionDone' }> | Extract<Reply, { kind: 'failed' }>;
  /** Tokens to hold (new ones, and the redrawn ones again). */
  readonly hold: readonly { readonly tokenId: string; readonly held: HeldToken }[];
}

const HINTS = { access: 'access_token', refresh: 'refresh_token' } as const;

export async function runTokenAction(
  services: Services,
  tokenId: string,
  held: HeldToken,
  current: TokenView | undefined,
  action: TokenAction,
  idPrefix: string,
): Promise<TokenActionOutcome> {
  const origin = held.origin;
  if (!origin) {
    return failed(`The panel does not know which client the ${held.title.toLowerCase()} belongs to, so it cannot ${action} it.`);
  }
  let auth: OAuthClientAuth;
  try {
    auth = await clientAuth(services, origin, action);
    const api = await services.orgApis.forTarget(origin.target);
    switch (action) {
      case 'refresh': {
        if (origin.kind !== 'refresh') return failed('Only a refresh token can be refreshed.');
        const tokens = await api.refreshTokens({ client: auth, refreshToken: held.raw });
        const added = await tokenSetViews(services, tokens, origin, { idPrefix, titleSuffix: ' (refreshed)' });
        const rotated = tokens.refresh_token !== undefined && tokens.refresh_token !== held.raw;
        const replaced: TokenView[] = [];
        const hold = added.map((t) => ({ tokenId: t.view.tokenId, held: t.held }));
        if (rotated && current) {
          const retired = retire(
            current,
            'Rotated: SlashID retired this refresh token when it issued the new one; using it again would revoke the whole grant.',
          );
          replaced.push(retired);
          hold.push({ tokenId, held: { ...held, origin: undefined } });
        }
        services.log.info('token-panel', `refreshed the tokens of client ${origin.clientId}${rotated ? ' (refresh token rotated)' : ''}`);
        return {
          reply: {
            kind: 'tokenActionDone',
            message: `Refreshed: ${added.length} new token${added.length === 1 ? '' : 's'} below${rotated ? '; the used refresh token is retired' : ''}.`,
            replaced,
            added: added.map((t) => t.view),
          },
          hold,
        };
      }
      case 'revoke': {
        if (origin.kind === 'id') return failed('An ID token cannot be revoked; revoke its access or refresh token.');
        await api.revokeToken({ client: auth, token: held.raw, tokenTypeHint: HINTS[origin.kind] });
        services.log.info('token-panel', `revoked a ${origin.kind} token of client ${origin.clientId}`);
        let view: TokenView | undefined = current ? { ...current, actions: [] } : undefined;
        let message = `Revoked the ${held.title.toLowerCase()} (RFC 7009).`;
        if (auth.clientSecret !== undefined && view) {
          const introspection = await api.introspectToken(auth.clientId, auth.clientSecret, held.raw, HINTS[origin.kind]);
          view = withIntrospection(view, introspection, origin);
          message += ` Introspection now says it is ${introspection.active ? 'still active' : 'inactive'}.`;
        } else {
          message += ' A public client cannot introspect, so this was not confirmed.';
        }
        return {
          reply: { kind: 'tokenActionDone', message, replaced: view ? [{ ...view, actions: [] }] : [], added: [] },
          hold: [{ tokenId, held: { ...held, origin: undefined } }],
        };
      }
      case 'userinfo': {
        if (origin.kind !== 'access') return failed('Userinfo needs an access token.');
        const profile = await api.getUserinfo(held.raw);
        return {
          reply: {
            kind: 'tokenActionDone',
            message: `Userinfo of the ${held.title.toLowerCase()}.`,
            replaced: [],
            added: [],
            json: { title: 'Userinfo', text: prettyJson(profile) },
          },
          hold: [],
        };
      }
      case 'introspect': {
        if (origin.kind === 'id' || auth.clientSecret === undefined)
          return failed('Only a confidential client can introspect, and only access and refresh tokens.');
        const introspection = await api.introspectToken(auth.clientId, auth.clientSecret, held.raw, HINTS[origin.kind]);
        return {
          reply: {
            kind: 'tokenActionDone',
            message: `Introspection: the ${held.title.toLowerCase()} is ${introspection.active ? 'active' : 'not active'}.`,
            replaced: current ? [withIntrospection(current, introspection, origin)] : [],
            added: [],
          },
          hold: [],
        };
      }
    }
  } catch (err) {
    services.log.warn('token-panel', `${action} failed: ${describeFailure(err)}`);
    return failed(describeFailure(err));
  }
}

/** A confidential client's stored secret (a sentence when none is stored), or a public client's ID alone. */
async function clientAuth(services: Services, origin: TokenOrigin, action: TokenAction): Promise<OAuthClientAuth> {
  if (origin.publicClient) return { clientId: origin.clientId };
  const secret = await services.vault.getClientSecret(origin.target.connection.id, origin.clientId);
  if (!secret) {
    throw new UserFacingError(
      `No secret is stored for "${inertText(origin.clientName, 100)}", a confidential client, so the token cannot be ${PAST[action]}; store it with "SlashID: Store Existing Client Secret" and try again.`,
    );
  }
  return { clientId: origin.clientId, clientSecret: secret };
}

const PAST: Record<TokenAction, string> = { refresh: 'refreshed', revoke: 'revoked', userinfo: 'used', introspect: 'introspected' };

function withIntrospection(view: TokenView, introspection: Record<string, unknown>, origin: TokenOrigin): TokenView {
  const active = introspection.active === true;
  const what = origin.kind === 'refresh' ? 'refresh token' : 'access token';
  return {
    ...view,
    introspection: prettyJson(introspection),
    verdict: active
      ? view.verdict
      : { status: 'inactive', message: `Introspection: the ${what} is not active (expired, revoked or unknown).` },
  };
}

function retire(view: TokenView, message: string): TokenView {
  return { ...view, actions: [], verdict: { status: 'inactive', message } };
}

function failed(message: string): TokenActionOutcome {
  return { reply: { kind: 'failed', message }, hold: [] };
}
