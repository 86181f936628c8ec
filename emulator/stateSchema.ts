import { z } from 'zod';
import { PERSON_HANDLE_TYPES } from './types';

/*
 * The shape of the emulator's state file (version 1), checked on load so that a hand-edited file fails
 * with a clear message. The records it holds are described in state.ts.
 */

const grantType = z.enum(['client_credentials', 'authorization_code']);
const storedKey = z.object({ kid: z.string().min(1), private_jwk: z.looseObject({ kty: z.literal('RSA') }) });
const handle = z.object({ type: z.enum(PERSON_HANDLE_TYPES), value: z.string() });

/** Shape of the state file (version 1). Checked on load so a hand-edited file fails with a clear message. */
export const stateFileSchema = z.object({
  version: z.literal(1),
  signing_key: storedKey,
  providers: z.array(z.object({ provider: z.string(), client_id: z.string(), key: storedKey })),
  orgs: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      parent_id: z.string().optional(),
      api_keys: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), role: z.enum(['admin', 'member']) })),
    }),
  ),
  persons: z.array(
    z.object({
      person_id: z.string(),
      org_id: z.string(),
      active: z.boolean(),
      person_type: z.enum(['regular', 'anonymous']),
      region: z.string(),
      handles: z.array(handle),
      roles: z.array(z.string()).optional(),
    }),
  ),
  clients: z.array(
    z.object({
      client_id: z.string(),
      org_id: z.string(),
      secret_sha256: z.string().regex(/^[0-9a-f]{64}$/),
      client_name: z.string(),
      grant_types: z.array(grantType),
      response_types: z.array(z.array(z.string())),
      scopes: z.array(z.string()),
      public: z.boolean(),
      access_token_duration: z.number().int().positive(),
      refresh_token_duration: z.number().int().positive(),
      redirect_uris: z.array(z.string()),
      created_at: z.string(),
      last_used: z.string().optional(),
      ui_configuration: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  tokens: z.array(
    z.object({
      key: z.string(),
      kind: z.enum(['access', 'refresh', 'id']),
      client_id: z.string(),
      org_id: z.string(),
      person_id: z.string().optional(),
      scope: z.string(),
      iat: z.number(),
      exp: z.number(),
      grant_id: z.string().optional(),
      auth_time: z.number().optional(),
      rotated: z.boolean().optional(),
    }),
  ),
  sso_logins: z.array(
    z.object({
      authentication_id: z.string(),
      org_id: z.string(),
      person_id: z.string(),
      provider: z.string(),
      provider_client_id: z.string(),
      tokens: z.array(z.object({ token: z.string(), token_type: z.enum(['access', 'refresh', 'id']), expiry: z.string() })),
      created_at: z.string(),
    }),
  ),
});
