import { randomBytes } from 'node:crypto';
import { sha256 } from './signingKey';
import { newPerson, type EmulatorState } from './state';
import type { EmulatorDemoInfo, SeedClient } from './types';

/*
 * The demo organization: what `npm run emulator` (no --seed) and the extension's "Start Local Emulator"
 * run. Every ID is fixed so docs, tests and screenshots can name them; only the API key changes (random
 * each start unless `demoApiKey` / `--demo-api-key` fixes it) and the client secrets are random (rotate
 * one to use it).
 */

/** The demo org (the org ID used as the example in SlashID's API reference). */
export const DEMO_ORG_ID = 'af5fbd30-7ce7-4548-8b30-4cd59cb2aba1';
export const DEMO_ORG_NAME = 'Acme Demo';
/** A sub-organization of the demo org; the demo API key works for it too. */
export const DEMO_SUB_ORG_ID = '5b1d7e0c-2f43-4c8a-9e61-0d3a8f2b7c94';
export const DEMO_SUB_ORG_NAME = 'Acme Demo EU';

export const DEMO_PERSONS = [
  {
    person_id: '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31',
    org_id: DEMO_ORG_ID,
    handles: [{ type: 'email_address', value: 'alice@example.com' }],
  },
  {
    person_id: '2c6d9f14-8e0a-4b73-9d52-1a7f3e8c6b05',
    org_id: DEMO_ORG_ID,
    handles: [{ type: 'email_address', value: 'bob@example.com' }],
  },
  {
    person_id: '7a3e5c82-1d9f-4e60-b4a7-3f0c8d2e9b16',
    org_id: DEMO_ORG_ID,
    handles: [
      { type: 'email_address', value: 'carol@example.com' },
      { type: 'phone_number', value: '+447700900123' },
      { type: 'username', value: 'carol' },
    ],
  },
  {
    person_id: '9d4b1f07-6a2c-4f8e-8b35-e7c0a9d1f462',
    org_id: DEMO_SUB_ORG_ID,
    handles: [{ type: 'email_address', value: 'dave@eu.example.com' }],
  },
] as const;

export const DEMO_CLIENTS: readonly (SeedClient & { client_id: string; org_id: string })[] = [
  {
    client_id: '3e9a7c15-4b2d-4f81-9c06-8d1e5a7b2f93',
    org_id: DEMO_ORG_ID,
    client_name: 'Billing Service',
    grant_types: ['client_credentials'],
    scopes: ['billing:read', 'billing:write'],
    access_token_duration: 3600,
  },
  {
    client_id: '6f2b8d40-9c1e-4a57-b3d8-2e7f0c5a9d61',
    org_id: DEMO_ORG_ID,
    client_name: 'Customer Web App',
    grant_types: ['authorization_code'],
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    redirect_uris: ['http://localhost:3000/callback', 'https://app.example.com/callback'],
  },
  {
    client_id: '8c5e1a93-7f4b-4d26-a0e9-5b3c7d8f1e24',
    org_id: DEMO_ORG_ID,
    client_name: 'Partner Portal',
    grant_types: ['client_credentials', 'authorization_code'],
    scopes: ['openid', 'offline_access', 'orders:read', 'orders:write'],
    redirect_uris: ['https://partners.example.com/oauth/callback'],
    access_token_duration: 900,
    refresh_token_duration: 604800,
  },
  {
    client_id: 'b1d4f7a0-2e8c-4b69-9f35-c6a0e3d7b852',
    org_id: DEMO_ORG_ID,
    client_name: 'Mobile App',
    grant_types: ['authorization_code'],
    scopes: ['openid', 'profile'],
    public: true,
    redirect_uris: ['com.example.mobile:/oauth/callback'],
  },
  {
    client_id: 'd7a0c3e6-5b9f-4e12-8c47-1f6b2d9e0a38',
    org_id: DEMO_SUB_ORG_ID,
    client_name: 'EU Reporting Job',
    grant_types: ['client_credentials'],
    scopes: ['reports:read'],
  },
];

/** A random demo API key: `emu_` + 48 hex characters. */
export function randomDemoApiKey(): string {
  return `emu_${randomBytes(24).toString('hex')}`;
}

/**
 * Adds the demo data when the demo org is missing (a fresh state), and in every case makes `apiKey`
 * the admin key of the demo org and its sub-org (replacing the previous admin keys, whose hashes a
 * state file may hold; member keys stay).
 */
export function applyDemo(state: EmulatorState, apiKey: string): EmulatorDemoInfo {
  const keyHash = sha256(apiKey);
  if (!state.orgs.has(DEMO_ORG_ID)) {
    state.orgs.set(DEMO_ORG_ID, { id: DEMO_ORG_ID, name: DEMO_ORG_NAME, api_keys: [] });
    state.orgs.set(DEMO_SUB_ORG_ID, { id: DEMO_SUB_ORG_ID, name: DEMO_SUB_ORG_NAME, parent_id: DEMO_ORG_ID, api_keys: [] });
    for (const person of DEMO_PERSONS) {
      state.persons.set(person.person_id, newPerson(person));
    }
    for (const client of DEMO_CLIENTS) {
      state.addClient({
        org_id: client.org_id,
        client_id: client.client_id,
        client_name: client.client_name ?? client.client_id,
        grant_types: client.grant_types ?? ['client_credentials'],
        scopes: client.scopes ?? [],
        public: client.public ?? false,
        access_token_duration: client.access_token_duration ?? 86400,
        refresh_token_duration: client.refresh_token_duration ?? 864000,
        redirect_uris: client.redirect_uris ?? [],
      });
    }
  }
  for (const orgId of [DEMO_ORG_ID, DEMO_SUB_ORG_ID]) {
    const org = state.orgs.get(orgId);
    if (org) {
      org.api_keys = [...org.api_keys.filter((k) => k.role !== 'admin'), { sha256: keyHash, role: 'admin' }];
    }
  }
  return {
    orgId: DEMO_ORG_ID,
    apiKey,
    subOrgId: DEMO_SUB_ORG_ID,
    personIds: [...state.persons.values()].filter((p) => p.org_id === DEMO_ORG_ID).map((p) => p.person_id),
    clientIds: [...state.clients.values()].filter((c) => c.org_id === DEMO_ORG_ID).map((c) => c.client_id),
  };
}
