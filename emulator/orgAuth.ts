import { ApiError } from './http';
import type { RouteContext } from './routeContext';
import type { ApiKeyRole } from './types';

export const ORG_HEADER = 'slashid-orgid';
export const API_KEY_HEADER = 'slashid-api-key';
export const CONSISTENCY_HEADER = 'slashid-required-consistency';
const CONSISTENCY_LEVELS = new Set(['local_region', 'all_regions']);

export interface OrgCaller {
  orgId: string;
  role: ApiKeyRole;
}

/**
 * Checks `SlashID-OrgID` (400 when missing) and `SlashID-API-Key` (401 when missing or not a key of
 * that org — an unknown org gets 401 too, so the answer does not reveal which orgs exist). Writes also
 * check `SlashID-Required-Consistency` (400 for an unknown level) and need an admin key (403).
 */
export function authenticateOrg(ctx: RouteContext, access: 'read' | 'write'): OrgCaller {
  const orgId = ctx.header(ORG_HEADER);
  if (!orgId) {
    throw new ApiError(400, 'The SlashID-OrgID header is required.');
  }
  const apiKey = ctx.header(API_KEY_HEADER);
  if (!apiKey) {
    throw new ApiError(401, 'The SlashID-API-Key header is required.');
  }
  const role = ctx.state.apiKeyRole(orgId, apiKey);
  if (!role) {
    // A parent organization's key may read its sub-organizations (contract choice, see
    // src/slashid/contract.ts); writes need the sub-organization's own key.
    const ancestorRole = ctx.state.ancestorApiKeyRole(orgId, apiKey);
    if (!ancestorRole) {
      throw new ApiError(401, 'The API key is not valid for this organization.');
    }
    if (access === 'write') {
      throw new ApiError(
        403,
        "A parent organization's API key can read this sub-organization but not change it; use the sub-organization's own API key.",
      );
    }
    return { orgId, role: ancestorRole };
  }
  if (access === 'write') {
    checkConsistency(ctx);
    if (role !== 'admin') {
      throw new ApiError(403, 'This operation needs an admin API key; the key given is a member key.');
    }
  }
  return { orgId, role };
}

/** `SlashID-Required-Consistency`: absent, `local_region` or `all_regions` (always reached locally). */
export function checkConsistency(ctx: RouteContext): void {
  const level = ctx.header(CONSISTENCY_HEADER);
  if (level !== undefined && !CONSISTENCY_LEVELS.has(level)) {
    throw new ApiError(400, 'SlashID-Required-Consistency must be local_region or all_regions.');
  }
}
