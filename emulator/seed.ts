import { z } from 'zod';
import { sha256 } from './signingKey';
import { newPerson, type EmulatorState } from './state';
import { PERSON_HANDLE_TYPES, type EmulatorSeed } from './types';
import { clientFieldsSchema } from './clientFields';

/** Lower-case 8-4-4-4-12 hex, as the contract says org, person and client IDs are. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const uuid = z.string().regex(UUID_PATTERN, 'must be a lower-case UUID (8-4-4-4-12 hex)');

const seedSchema = z.object({
  orgs: z.array(
    z.object({
      id: uuid,
      api_key: z.string().min(1, 'must be a non-empty string'),
      parent_id: uuid.optional(),
      name: z.string().min(1).optional(),
      role: z.enum(['admin', 'member']).optional(),
    }),
  ),
  persons: z.array(
    z.object({
      person_id: uuid,
      org_id: uuid,
      handles: z.array(z.object({ type: z.enum(PERSON_HANDLE_TYPES), value: z.string().min(1) })).optional(),
      roles: z.array(z.string().min(1)).optional(),
    }),
  ),
  clients: z
    .array(
      clientFieldsSchema.partial().extend({
        org_id: uuid.optional(),
        client_id: uuid.optional(),
        client_secret: z.string().min(1).optional(),
        created_at: z.string().optional(),
        last_used: z.string().optional(),
      }),
    )
    .optional(),
});

/** A seed that does not match the expected shape; the message names the field (e.g. `orgs[1].parent_id`). */
export class SeedError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`Invalid emulator seed: ${field}: ${problem}`);
    this.name = 'SeedError';
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  }
  return out || '(root)';
}

/** Checks a seed's shape and its references (parents, persons' orgs, clients' orgs). Throws SeedError. */
export function parseSeed(input: unknown, knownOrgIds: ReadonlySet<string> = new Set()): EmulatorSeed {
  const parsed = seedSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SeedError(fieldPath(issue.path), issue.message);
  }
  const seed = parsed.data;
  const orgIds = new Set([...knownOrgIds, ...seed.orgs.map((o) => o.id)]);
  const parents = new Map<string, string | undefined>();
  seed.orgs.forEach((org, i) => {
    if (org.parent_id !== undefined && !orgIds.has(org.parent_id)) {
      throw new SeedError(`orgs[${i}].parent_id`, `no org with id ${org.parent_id} in the seed`);
    }
    if (org.parent_id === org.id) {
      throw new SeedError(`orgs[${i}].parent_id`, 'an org cannot be its own parent');
    }
    if (parents.has(org.id) && org.parent_id !== undefined && parents.get(org.id) !== undefined && parents.get(org.id) !== org.parent_id) {
      throw new SeedError(`orgs[${i}].parent_id`, `org ${org.id} is listed twice with different parents`);
    }
    if (!parents.get(org.id)) parents.set(org.id, org.parent_id);
  });
  // No cycles among the seeded parent links.
  for (const start of parents.keys()) {
    const seen = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined) {
      if (seen.has(current)) {
        throw new SeedError(`orgs[${seed.orgs.findIndex((o) => o.id === start)}].parent_id`, 'the parent links form a cycle');
      }
      seen.add(current);
      current = parents.get(current);
    }
  }
  seed.persons.forEach((person, i) => {
    if (!orgIds.has(person.org_id)) {
      throw new SeedError(`persons[${i}].org_id`, `no org with id ${person.org_id} in the seed`);
    }
  });
  seed.clients?.forEach((client, i) => {
    if (client.org_id === undefined && seed.orgs.length === 0) {
      throw new SeedError(`clients[${i}].org_id`, 'is required when the seed lists no orgs');
    }
    if (client.org_id !== undefined && !orgIds.has(client.org_id)) {
      throw new SeedError(`clients[${i}].org_id`, `no org with id ${client.org_id} in the seed`);
    }
  });
  return seed;
}

/**
 * Adds a (parsed) seed to the state: orgs and persons are added or updated (an org's seeded API key is
 * added to its keys), clients are added unless a client with the same ID exists. A client without
 * `org_id` goes to the seed's first org.
 */
export function applySeed(state: EmulatorState, seed: EmulatorSeed): void {
  for (const org of seed.orgs) {
    const existing = state.orgs.get(org.id);
    const key = { sha256: sha256(org.api_key), role: org.role ?? 'admin' } as const;
    if (existing) {
      if (org.name !== undefined) existing.name = org.name;
      if (org.parent_id !== undefined) existing.parent_id = org.parent_id;
      const same = existing.api_keys.find((k) => k.sha256 === key.sha256);
      if (same) same.role = key.role;
      else existing.api_keys.push(key);
    } else {
      state.orgs.set(org.id, {
        id: org.id,
        name: org.name ?? `Org ${org.id.slice(0, 8)}`,
        ...(org.parent_id !== undefined ? { parent_id: org.parent_id } : {}),
        api_keys: [key],
      });
    }
  }
  for (const person of seed.persons) {
    state.persons.set(person.person_id, newPerson(person));
  }
  const defaultOrg = seed.orgs[0]?.id;
  (seed.clients ?? []).forEach((client, i) => {
    if (client.client_id !== undefined && state.clients.has(client.client_id)) return;
    const orgId = client.org_id ?? defaultOrg;
    if (orgId === undefined) return;
    const grantTypes = client.grant_types ?? ['client_credentials'];
    state.addClient({
      org_id: orgId,
      ...(client.client_id !== undefined ? { client_id: client.client_id } : {}),
      ...(client.client_secret !== undefined ? { client_secret: client.client_secret } : {}),
      client_name: client.client_name ?? `Seeded client ${i + 1}`,
      grant_types: grantTypes,
      scopes: client.scopes ?? [],
      public: client.public ?? false,
      access_token_duration: client.access_token_duration ?? 86400,
      refresh_token_duration: client.refresh_token_duration ?? 864000,
      redirect_uris: client.redirect_uris ?? [],
      ...(client.created_at !== undefined ? { created_at: client.created_at } : {}),
      ...(client.last_used !== undefined ? { last_used: client.last_used } : {}),
    });
  });
}
