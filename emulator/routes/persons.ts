import { ApiError, envelope, type Reply } from '../http';
import { authenticateOrg } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';

export const DEFAULT_PERSONS_LIMIT = 100;
export const MAX_PERSONS_LIMIT = 1000;

function integerParam(ctx: RouteContext, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.url.searchParams.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ApiError(400, `Invalid ${name}: must be an integer from ${min} to ${max}.`);
  }
  return Number(raw);
}

/**
 * GET /persons — persons of the header org (not of its sub-orgs). `limit` 1..1000 (default 100),
 * `offset` >= 0, `filter`: case-insensitive substring of the person ID or of any handle's value.
 * `meta.pagination.total_count` counts the persons matching the filter.
 */
function listPersons(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  const limit = integerParam(ctx, 'limit', DEFAULT_PERSONS_LIMIT, 1, MAX_PERSONS_LIMIT);
  const offset = integerParam(ctx, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const filter = (ctx.url.searchParams.get('filter') ?? '').trim().toLowerCase();
  const matching = [];
  for (const person of ctx.state.persons.values()) {
    if (person.org_id !== caller.orgId) continue;
    if (filter && !person.person_id.includes(filter) && !person.handles.some((h) => h.value.toLowerCase().includes(filter))) continue;
    matching.push(person);
  }
  const page = matching.slice(offset, offset + limit).map((p) => ({
    person_id: p.person_id,
    active: p.active,
    person_type: p.person_type,
    region: p.region,
    ...(p.handles.length > 0 ? { handles: p.handles } : {}),
  }));
  return envelope(page, 200, { pagination: { limit, offset, total_count: matching.length } });
}

export const personRoutes: RouteDefinition[] = [{ method: 'GET', pattern: '/persons', handler: listPersons }];
