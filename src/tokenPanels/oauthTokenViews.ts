import type { Services } from '../services';
import type { OAuthTokenResponse } from '../slashid/schemas';
import { decodeToken } from '../tokens/decode';
import { checkAccessTokenHash, checkNonce } from '../tokens/idTokenChecks';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { describeFailure } from '../common/failures';
import type { TokenView } from './protocol';
import type { HeldToken, TokenOrigin } from './panelTokens';
import { inspectToken, isOpaqueSlashIdToken } from './tokenInspection';

/**
 * The tokens of an authorization-code exchange or a refresh, as the token panel shows them: each one
 * decoded and verified against the org's key set; the ID token also for its audience (the client ID),
 * the nonce the request sent and the `at_hash` of the access token; opaque tokens introspected when the
 * client is confidential and its secret is stored. Each view offers the actions its client allows.
 */

export type ClientOfTokens = Omit<TokenOrigin, 'kind' | 'scopes'>;

export interface TokenSetOptions {
  /** Prefix of the views' token IDs (unique within the panel). */
  readonly idPrefix: string;
  /** The nonce the authorization request sent (a code exchange); absent for a refresh. */
  readonly nonce?: string;
  /** Appended to the titles ("Access token (refreshed)"). */
  readonly titleSuffix?: string;
}

export interface ShownToken {
  readonly view: TokenView;
  readonly held: HeldToken;
}

/** The actions a token's card offers, from what its client may do. */
export function actionsFor(origin: TokenOrigin, raw: string): NonNullable<TokenView['actions']> {
  const actions: NonNullable<TokenView['actions']> = [];
  if (origin.kind === 'refresh') actions.push('refresh');
  if (origin.kind !== 'id') actions.push('revoke');
  if (origin.kind === 'access' && origin.scopes.includes('openid') && !isOpaqueSlashIdToken(raw)) actions.push('userinfo');
  if (origin.kind !== 'id' && !origin.publicClient) actions.push('introspect');
  return actions;
}

export async function tokenSetViews(
  services: Services,
  tokens: OAuthTokenResponse,
  client: ClientOfTokens,
  options: TokenSetOptions,
): Promise<ShownToken[]> {
  const scopes = (tokens.scope ?? '').split(/\s+/).filter(Boolean);
  const suffix = options.titleSuffix ?? '';
  const facts = [
    { label: 'Client', value: `${client.clientName} (${client.clientId})` },
    ...(scopes.length ? [{ label: 'Scope', value: scopes.join(' ') }] : []),
  ];
  const issuer = services.tokenVerifier.baseUrlOf(client.target);
  const introspect = client.publicClient ? undefined : await introspectorFor(services, client);
  const shown: ShownToken[] = [];
  const issuedAt = Date.now();
  const accessLifetime = { issuedAt, expiresAt: issuedAt + tokens.expires_in * 1000 };
  const add = async (raw: string, kind: TokenOrigin['kind'], title: string) => {
    const origin: TokenOrigin = { ...client, kind, scopes };
    const tokenId = `${options.idPrefix}-${kind}`;
    let view = await inspectToken(raw, {
      tokenId,
      title: title + suffix,
      issuer,
      orgId: client.target.orgId,
      ...(kind === 'id' ? {} : { verifier: services.tokenVerifier }),
      verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
      facts: kind === 'access' ? [...facts, { label: 'Expires in', value: `${tokens.expires_in} s` }] : facts,
      ...(introspect ? { introspect: (token: string) => introspect(token, kind === 'refresh' ? 'refresh_token' : 'access_token') } : {}),
    });
    if (kind === 'id') view = await withIdTokenVerdict(services, view, raw, tokens.access_token, client, issuer, options.nonce);
    const actions = actionsFor(origin, raw);
    view = { ...view, ...(actions.length ? { actions } : {}) };
    shown.push({
      view,
      held: {
        raw,
        title: view.title,
        origin,
        ...(view.payload ? { payloadJson: view.payload } : {}),
        ...(kind === 'refresh' ? { accessLifetime } : {}),
      },
    });
  };
  await add(tokens.access_token, 'access', 'Access token');
  if (tokens.id_token) await add(tokens.id_token, 'id', 'ID token');
  if (tokens.refresh_token) await add(tokens.refresh_token, 'refresh', 'Refresh token');
  return shown;
}

/**
 * The ID token's verdict: signature, issuer and audience against the org's key set, then the nonce (a
 * code exchange) and the `at_hash`. A failed nonce or at_hash check is `id-token-mismatch`.
 */
async function withIdTokenVerdict(
  services: Services,
  view: TokenView,
  raw: string,
  accessToken: string,
  client: ClientOfTokens,
  issuer: string,
  nonce: string | undefined,
): Promise<TokenView> {
  const decoded = decodeToken(raw);
  if (!decoded.ok) return view;
  const result = await services.tokenVerifier.verify(decoded, issuer, PANEL_VERIFY_TIMEOUT_MS, client.target.orgId, client.clientId);
  if (result.verdict !== 'valid') return { ...view, verdict: { status: result.verdict, message: result.message } };
  const checks = [
    ...(nonce === undefined ? [] : [{ label: 'Nonce', check: checkNonce(decoded.payload, nonce) }]),
    { label: 'at_hash', check: checkAccessTokenHash(decoded.payload, decoded.alg, accessToken) },
  ];
  const failed = checks.find((c) => !c.check.ok);
  const facts = [
    ...view.facts,
    ...checks.map((c) => ({ label: c.label, value: c.check.ok ? `checked: ${c.check.message}` : c.check.message })),
  ];
  if (failed) return { ...view, facts, verdict: { status: 'id-token-mismatch', message: failed.check.message } };
  const checked = checks.map((c) => (c.label === 'Nonce' ? 'the nonce' : 'the at_hash')).join(' and ');
  return {
    ...view,
    facts,
    verdict: { status: 'valid', message: `${result.message} The audience is the client ID; ${checked} match this sign-in.` },
  };
}

/** Introspection with the client's stored secret, or undefined when none is stored. */
async function introspectorFor(
  services: Services,
  client: ClientOfTokens,
): Promise<((token: string, hint: 'access_token' | 'refresh_token') => Promise<Record<string, unknown> | string>) | undefined> {
  const secret = await services.vault.getClientSecret(client.target.connection.id, client.clientId);
  if (!secret) return undefined;
  return async (token, hint) => {
    try {
      const api = await services.orgApis.forTarget(client.target);
      return await api.introspectToken(client.clientId, secret, token, hint);
    } catch (err) {
      return `Introspection failed: ${describeFailure(err)}`;
    }
  };
}
