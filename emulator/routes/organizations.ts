import { envelope, type Reply } from '../http';
import { authenticateOrg } from '../orgAuth';
import type { RouteContext, RouteDefinition } from '../routeContext';

/** GET /organizations/suborganizations — every descendant of the header org (children, grandchildren, …). */
function subOrganizations(ctx: RouteContext): Reply {
  const caller = authenticateOrg(ctx, 'read');
  return envelope(ctx.state.descendants(caller.orgId));
}

export const organizationRoutes: RouteDefinition[] = [
  { method: 'GET', pattern: '/organizations/suborganizations', handler: subOrganizations },
];
