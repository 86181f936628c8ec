/** A seeded emulator for the organizations and clients suites: a parent org with a sub-org, an empty org, canary keys. */
import { startEmulator, type Emulator } from '../../emulator/index';

export const ROOT_ORG = '11111111-1111-4111-8111-111111111111';
export const SUB_ORG = '22222222-2222-4222-8222-222222222222';
export const EMPTY_ORG = '33333333-3333-4333-8333-333333333333';
/** Canary API keys: a test searches every output for them. */
export const ROOT_KEY = 'canary-root-key-7f3a9c1e5b2d4068';
export const EMPTY_KEY = 'canary-empty-key-0b9d8e7f6a5c4d3e';
export const ZULU = 'aaaaaaaa-0000-4000-8000-00000000000a';
export const ALPHA = 'bbbbbbbb-0000-4000-8000-00000000000b';
export const SUB_CLIENT = 'cccccccc-0000-4000-8000-00000000000c';
export const PERSON = '44444444-4444-4444-8444-444444444444';

export async function startSeededEmulator(): Promise<Emulator> {
  return startEmulator({
    port: 0,
    demo: false,
    seed: {
      orgs: [
        { id: ROOT_ORG, api_key: ROOT_KEY, name: 'Root' },
        { id: SUB_ORG, api_key: 'sub-key-unused-in-tests-000000', parent_id: ROOT_ORG, name: 'Sub' },
        { id: EMPTY_ORG, api_key: EMPTY_KEY, name: 'Empty' },
      ],
      persons: [{ person_id: PERSON, org_id: ROOT_ORG }],
      clients: [
        { client_id: ZULU, client_name: 'zulu-service', org_id: ROOT_ORG, grant_types: ['client_credentials'], scopes: ['read'] },
        {
          client_id: ALPHA,
          client_name: 'Alpha app',
          org_id: ROOT_ORG,
          grant_types: ['authorization_code'],
          scopes: ['openid'],
          redirect_uris: ['https://alpha.example.com/cb'],
        },
        { client_id: SUB_CLIENT, client_name: 'sub-client', org_id: SUB_ORG, grant_types: ['client_credentials'], scopes: [] },
      ],
    },
  });
}
