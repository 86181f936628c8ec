import * as z from 'zod/mini';

/** Input fields several tools share, each with the description the model reads. */
export const orgField = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(200),
    z.describe('The organization: its org ID (a UUID, as slashid_listOrganizations lists it) or its connection name.'),
  );

export const clientIdField = z
  .string()
  .check(z.minLength(1), z.maxLength(200), z.describe('The OAuth2 client ID (as slashid_listClients lists it).'));
