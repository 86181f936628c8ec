import { ApiError, envelope, type Reply } from '../http';
import { authenticateOrg } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';
import { FilterError, handlePredicate, parsePersonFilter, type PersonPredicate } from '../scimFilter';

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
 * `offset` >= 0; `filter` is a SCIM 2.0 filter (scimFilter.ts; 400 naming the problem) and `handle`
 * (`type:value`) keeps the persons with that handle; both given = both apply.
 * `meta.pagination.total_count` counts the persons matching.
 */
function listPersons(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  const limit = integerParam(ctx, 'limit', DEFAULT_PERSONS_LIMIT, 1, MAX_PERSONS_LIMIT);
  const offset = integerParam(ctx, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const predicates: PersonPredicate[] = [];
  const filter = ctx.url.searchParams.get('filter');
  if (filter !== null) predicates.push(queryPredicate('filter', () => parsePersonFilter(filter)));
  const handle = ctx.url.searchParams.get('handle');
  if (handle !== null) predicates.push(queryPredicate('handle', () => handlePredicate(handle)));
  const matching = [];
  for (const person of ctx.state.persons.values()) {
    if (person.org_id !== caller.orgId) continue;
    if (!predicates.every((matches) => matches(person))) continue;
    matching.push(person);
  }
  const page = matching.slice(offset, offset + limit).map((p) => ({
    person_id: p.person_id,
    active: p.active,
    person_type: p.person_type,
    region: p.region,
    ...(p.handles.length > 0 ? { handles: p.handles } : {}),
    ...(p.roles && p.roles.length > 0 ? { roles: p.roles } : {}),
  }));
  return envelope(page, 200, { pagination: { limit, offset, total_count: matching.length } });
}

/** The predicate a query parameter builds; 400 naming the parameter and the problem. */
function queryPredicate(name: string, build: () => PersonPredicate): PersonPredicate {
  try {
    return build();
  } catch (err) {
    if (err instanceof FilterError) {
      const example = name === 'filter' ? 'handles eq "email_address:alice@example.com"' : 'email_address:alice@example.com';
      throw new ApiError(400, `Invalid ${name}: ${err.message}; for example ${example}.`);
    }
    throw err;
  }
}

export const personRoutes: RouteDefinition[] = [{ method: 'GET', pattern: '/persons', handler: listPersons }];
