import type { Services } from '../services';
import type { OrgTarget } from '../orgs/orgTarget';
import type { MintResult, OAuth2Client } from '../slashid/schemas';
import { describeFailure } from '../common/failures';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { decodeToken } from '../tokens/decode';
import { inspectToken } from './tokenInspection';
import { actionsFor } from './oauthTokenViews';
import type { HeldToken } from './panelTokens';
import type { TokenView } from './protocol';

export const MINTED_TOKEN_TITLES = { access_token: 'Access token', id_token: 'ID token', refresh_token: 'Refresh token' } as const;

export interface MintedToken {
  readonly field: keyof typeof MINTED_TOKEN_TITLES;
  readonly view: TokenView;
  /** The raw token, for the panel that holds it in memory (never for a message, a log or the chat). */
  readonly raw: string;
}

const ORIGIN_KINDS = { access_token: 'access', id_token: 'id', refresh_token: 'refresh' } as const;

/**
 * The cards of minted tokens and what a panel holds for each: with the client as their origin, so that
 * the cards offer Refresh, Revoke, Userinfo and Introspect (tokenActions.ts) as the client allows; a
 * refresh token also keeps the access token's lifetime (for auto-refresh). Without the client (no
 * longer listed), the cards offer no action.
 */
export function mintedTokenCards(
  minted: readonly MintedToken[],
  target: OrgTarget,
  client: OAuth2Client | undefined,
  scopes: readonly string[],
  accessToken: string,
): { view: TokenView; held: HeldToken }[] {
  const accessLifetime = lifetimeOf(accessToken);
  return minted.map(({ view, raw, field }) => {
    const origin = client && {
      target,
      clientId: client.client_id,
      clientName: client.client_name || client.client_id,
      publicClient: client.public === true,
      kind: ORIGIN_KINDS[field],
      scopes,
    };
    const held: HeldToken = {
      raw,
      title: view.title,
      ...((view.payload ?? view.introspection) ? { payloadJson: view.payload ?? view.introspection } : {}),
      ...(origin ? { origin } : {}),
      ...(field === 'refresh_token' && accessLifetime ? { accessLifetime } : {}),
    };
    const actions = origin ? actionsFor(origin, raw) : [];
    return { view: actions.length > 0 ? { ...view, actions } : view, held };
  });
}

/** When a minted access token (a JWT: the mint answer has no `expires_in`) was issued and expires, from `iat` and `exp`. */
function lifetimeOf(accessToken: string): { issuedAt: number; expiresAt: number } | undefined {
  const decoded = decodeToken(accessToken);
  if (!decoded.ok || typeof decoded.payload.exp !== 'number') return undefined;
  const expiresAt = decoded.payload.exp * 1000;
  const issuedAt = typeof decoded.payload.iat === 'number' ? decoded.payload.iat * 1000 : Date.now();
  return expiresAt > issuedAt ? { issuedAt, expiresAt } : undefined;
}

/**
 * Each token of a mint answer, decoded and verified against the org's keys (custom claims highlighted), and
 * an opaque one introspected with the client's stored secret. Shared by the minter and the chat's mint tool.
 */
export async function inspectMintedTokens(
  services: Services,
  target: OrgTarget,
  clientId: string,
  result: MintResult,
  customClaims: readonly string[],
  tokenIdPrefix: string,
): Promise<MintedToken[]> {
  const verifier = services.tokenVerifier;
  const issuer = verifier.baseUrlOf(target);
  const minted: MintedToken[] = [];
  for (const field of ['access_token', 'id_token', 'refresh_token'] as const) {
    const raw = result[field];
    if (typeof raw !== 'string' || raw.length === 0) continue;
    const view = await inspectToken(raw, {
      tokenId: `${tokenIdPrefix}:${field}`,
      title: MINTED_TOKEN_TITLES[field],
      issuer,
      orgId: target.orgId,
      verifier,
      verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
      highlight: customClaims,
      introspect: (token) => introspect(services, target, clientId, token, field === 'refresh_token' ? 'refresh_token' : 'access_token'),
    });
    minted.push({ field, view, raw });
  }
  return minted;
}

async function introspect(
  services: Services,
  target: OrgTarget,
  clientId: string,
  token: string,
  hint: 'access_token' | 'refresh_token',
): Promise<Record<string, unknown> | string> {
  const secret = await services.vault.getClientSecret(target.connection.id, clientId);
  if (!secret) {
    return 'Opaque token; store the client secret to introspect it ("SlashID: Store Existing Client Secret").';
  }
  try {
    const api = await services.orgApis.forTarget(target);
    return { ...(await api.introspectToken(clientId, secret, token, hint)) };
  } catch (err) {
    return `Opaque token; introspection failed: ${describeFailure(err)}`;
  }
}
