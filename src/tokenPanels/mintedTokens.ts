import type { Services } from '../services';
import type { OrgTarget } from '../orgs/orgTarget';
import type { MintResult } from '../slashid/schemas';
import { describeFailure } from '../common/failures';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { inspectToken } from './tokenInspection';
import type { TokenView } from './protocol';

export const MINTED_TOKEN_TITLES = { access_token: 'Access token', id_token: 'ID token', refresh_token: 'Refresh token' } as const;

export interface MintedToken {
  readonly field: keyof typeof MINTED_TOKEN_TITLES;
  readonly view: TokenView;
  /** The raw token, for the panel that holds it in memory (never for a message, a log or the chat). */
  readonly raw: string;
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
