/** The seeded organizations, persons and clients the API-core tests share (canary key and secret included). */
import { randomUUID } from 'node:crypto';

export const CANARY_KEY = 'sid-canary-API-KEY-3b8f0e5a9c2d47e1';
export const ROOT = randomUUID();
export const CHILD = randomUUID();
export const OTHER = randomUUID();
export const MEMBER_KEY = 'member-key-for-root-7a1c';
export const CHILD_KEY = 'child-only-key-5e2f';
export const OTHER_KEY = 'other-org-key-9d3b';
export const PERSON = randomUUID();
export const PERSON_CHILD = randomUUID();
export const ROOT_CLIENT = randomUUID();
export const ROOT_CLIENT_SECRET = 'sid-canary-CLIENT-SECRET-61f0c2';
export const CHILD_CLIENT = randomUUID();
export const OTHER_CLIENT = randomUUID();

export function seed() {
  return {
    orgs: [
      { id: ROOT, api_key: CANARY_KEY, name: 'Root' },
      { id: ROOT, api_key: MEMBER_KEY, role: 'member' as const },
      { id: CHILD, api_key: CHILD_KEY, parent_id: ROOT, name: 'Child' },
      { id: CHILD, api_key: CANARY_KEY, parent_id: ROOT },
      { id: OTHER, api_key: OTHER_KEY, name: 'Other' },
    ],
    persons: [
      { person_id: PERSON, org_id: ROOT, handles: [{ type: 'email_address' as const, value: 'alice@example.com' }] },
      { person_id: PERSON_CHILD, org_id: CHILD },
    ],
    clients: [
      {
        org_id: ROOT,
        client_id: ROOT_CLIENT,
        client_secret: ROOT_CLIENT_SECRET,
        client_name: 'Root service',
        grant_types: ['client_credentials' as const],
        scopes: ['openid', 'offline_access', 'read'],
      },
      { org_id: CHILD, client_id: CHILD_CLIENT, client_name: 'Child service' },
      { org_id: OTHER, client_id: OTHER_CLIENT, client_name: 'Other service' },
    ],
  };
}
