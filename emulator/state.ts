import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { SigningKey, sha256 } from './signingKey';
import { stateFileSchema } from './stateSchema';
import { StateFile } from './stateFile';
import type { ApiKeyRole, GrantType, OAuth2Client, PersonHandleType, SsoProvider } from './types';

export interface OrgRecord {
  id: string;
  name: string;
  parent_id?: string;
  /** SHA-256 (hex) of each API key with its role; the keys themselves are never stored. */
  api_keys: { sha256: string; role: ApiKeyRole }[];
}

export interface PersonRecord {
  person_id: string;
  org_id: string;
  active: boolean;
  person_type: 'regular' | 'anonymous';
  region: string;
  handles: { type: PersonHandleType; value: string }[];
  /** The person's roles (SCIM filter `roles eq "…"`); absent = none. */
  roles?: string[];
}

/** A new, active, regular person (the region every emulated person lives in). */
export function newPerson(input: {
  person_id: string;
  org_id: string;
  handles?: readonly PersonRecord['handles'][number][];
  roles?: readonly string[];
}): PersonRecord {
  return {
    person_id: input.person_id,
    org_id: input.org_id,
    active: true,
    person_type: 'regular',
    region: 'europe-belgium',
    handles: (input.handles ?? []).map((h) => ({ type: h.type, value: h.value })),
    ...(input.roles && input.roles.length > 0 ? { roles: [...input.roles] } : {}),
  };
}

export interface ClientRecord extends OAuth2Client {
  org_id: string;
  /** SHA-256 (hex) of the client secret. */
  secret_sha256: string;
  /** The hosted-UI configuration (`…/ui-configuration`), as last PUT (unknown fields kept). */
  ui_configuration?: Record<string, unknown>;
}

/** A token the emulator issued, keyed by `sha256:<hash>` (opaque tokens) or `jti:<jti>` (JWTs). */
export interface TokenRecord {
  kind: 'access' | 'refresh' | 'id';
  client_id: string;
  org_id: string;
  person_id?: string;
  scope: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  /**
   * The authorization grant the token belongs to (one sign-in: its code, and every token issued from
   * it or from its refresh tokens); revoking the grant revokes them all. Absent for minted and
   * client-credentials tokens.
   */
  grant_id?: string;
  /** When the person signed in (seconds), for the ID tokens of a grant. */
  auth_time?: number;
  /** A refresh token already exchanged (refresh tokens rotate): using it again revokes its grant. */
  rotated?: boolean;
}

/** An authorization code (in memory only: it lives 60 seconds), keyed by the SHA-256 of the code. */
export interface CodeRecord {
  client_id: string;
  org_id: string;
  person_id: string;
  redirect_uri: string;
  scope: string;
  nonce?: string;
  code_challenge?: string;
  auth_time: number;
  exp: number;
  grant_id: string;
  /** Set once exchanged; a second exchange revokes the grant. */
  used: boolean;
}

export interface SsoLoginRecord {
  authentication_id: string;
  org_id: string;
  person_id: string;
  provider: SsoProvider;
  provider_client_id: string;
  tokens: { token: string; token_type: 'access' | 'refresh' | 'id'; expiry: string }[];
  created_at: string;
}

export interface ProviderRecord {
  client_id: string;
  key: SigningKey;
}

export class StateFileFormatError extends Error {
  constructor(filePath: string, issue: string) {
    super(`Emulator state file ${filePath} is not a valid state file: ${issue}. Delete it to start afresh.`);
    this.name = 'StateFileFormatError';
  }
}

/**
 * Everything the emulator knows, in memory; optionally mirrored to a JSON state file. Route handlers
 * change the maps, then call `persist()` and answer once it resolves, so a success means "on disk".
 */
/**
 * How many revoked grant IDs are remembered. Only a request that was signing tokens when its grant was
 * revoked needs the ID, so the newest few thousand are plenty; the tokens themselves are deleted.
 */
const REVOKED_GRANTS_KEPT = 10_000;

export class EmulatorState {
  readonly orgs = new Map<string, OrgRecord>();
  readonly persons = new Map<string, PersonRecord>();
  readonly clients = new Map<string, ClientRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Authorization codes by `sha256:<hash>`; not written to the state file. */
  readonly codes = new Map<string, CodeRecord>();
  readonly ssoLogins = new Map<string, SsoLoginRecord>();
  readonly providers = new Map<SsoProvider, ProviderRecord>();
  private file: StateFile | undefined;
  /** Grants revoked since start, newest last (see `revokeGrant`); their tokens are gone from `tokens`. */
  private readonly revokedGrants = new Set<string>();
  /** The latest revoke-all per client and person, newest last (see `noteRevokeAll`). */
  private readonly revokeAlls = new Map<string, { atMs: number; untilMs: number }>();

  private constructor(readonly signingKey: SigningKey) {}

  /** A fresh state (new signing key), or the one in `stateFile` when it exists. `loaded` says which. */
  static async open(stateFile: string | undefined): Promise<{ state: EmulatorState; loaded: boolean }> {
    const raw = stateFile ? await StateFile.read(stateFile) : undefined;
    let state: EmulatorState;
    if (raw === undefined) {
      state = new EmulatorState(await SigningKey.generate());
    } else {
      state = await EmulatorState.fromFile(stateFile!, raw);
    }
    if (stateFile) {
      await mkdir(path.dirname(path.resolve(stateFile)), { recursive: true });
      state.file = new StateFile(stateFile, () => state.serialize());
    }
    return { state, loaded: raw !== undefined };
  }

  private static async fromFile(filePath: string, raw: unknown): Promise<EmulatorState> {
    const parsed = stateFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StateFileFormatError(filePath, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
    }
    const data = parsed.data;
    const state = new EmulatorState(await SigningKey.fromStored(data.signing_key));
    for (const p of data.providers) {
      state.providers.set(p.provider as SsoProvider, { client_id: p.client_id, key: await SigningKey.fromStored(p.key) });
    }
    for (const org of data.orgs) state.orgs.set(org.id, org);
    for (const person of data.persons) state.persons.set(person.person_id, person);
    for (const client of data.clients) state.clients.set(client.client_id, client);
    for (const { key, ...token } of data.tokens) state.tokens.set(key, token);
    for (const login of data.sso_logins)
      state.ssoLogins.set(login.authentication_id, { ...login, provider: login.provider as SsoProvider });
    return state;
  }

  get stateFilePath(): string | undefined {
    return this.file?.filePath;
  }

  /** Writes the state file (when there is one); resolves once the current state is on disk. */
  persist(): Promise<void> {
    return this.file ? this.file.save() : Promise.resolve();
  }

  /** Waits for pending state-file writes. */
  async flush(): Promise<void> {
    await this.file?.flush();
  }

  private serialize(): string {
    const now = Math.floor(Date.now() / 1000);
    for (const [key, token] of this.tokens) {
      if (token.exp < now) this.tokens.delete(key);
    }
    return JSON.stringify({
      version: 1,
      signing_key: this.signingKey.toStored(),
      providers: [...this.providers].map(([provider, p]) => ({ provider, client_id: p.client_id, key: p.key.toStored() })),
      orgs: [...this.orgs.values()],
      persons: [...this.persons.values()],
      clients: [...this.clients.values()],
      tokens: [...this.tokens].map(([key, token]) => ({ key, ...token })),
      sso_logins: [...this.ssoLogins.values()],
    });
  }

  // ---- organizations and API keys ----

  /** The role of `apiKey` in `orgId`, or undefined when it is not one of the org's keys. */
  apiKeyRole(orgId: string, apiKey: string): ApiKeyRole | undefined {
    const org = this.orgs.get(orgId);
    if (!org) return undefined;
    const hash = sha256(apiKey);
    return org.api_keys.find((k) => k.sha256 === hash)?.role;
  }

  /** The role of `apiKey` in a strict ancestor of `orgId` (the nearest one that has it), if any. */
  ancestorApiKeyRole(orgId: string, apiKey: string): ApiKeyRole | undefined {
    const seen = new Set<string>([orgId]);
    let current = this.orgs.get(orgId)?.parent_id;
    while (current !== undefined && !seen.has(current)) {
      const role = this.apiKeyRole(current, apiKey);
      if (role) return role;
      seen.add(current);
      current = this.orgs.get(current)?.parent_id;
    }
    return undefined;
  }

  /** True when `ancestorId` is `orgId` itself or one of its parents, at any depth. */
  isSelfOrAncestor(ancestorId: string, orgId: string): boolean {
    const seen = new Set<string>();
    let current: string | undefined = orgId;
    while (current !== undefined && !seen.has(current)) {
      if (current === ancestorId) return true;
      seen.add(current);
      current = this.orgs.get(current)?.parent_id;
    }
    return false;
  }

  /** Every descendant of `orgId` (children, grandchildren, …), breadth first. */
  descendants(orgId: string): string[] {
    const children = new Map<string, string[]>();
    for (const org of this.orgs.values()) {
      if (org.parent_id !== undefined) {
        const list = children.get(org.parent_id) ?? [];
        list.push(org.id);
        children.set(org.parent_id, list);
      }
    }
    const result: string[] = [];
    const seen = new Set<string>([orgId]);
    const queue = [orgId];
    while (queue.length > 0) {
      for (const child of children.get(queue.shift()!) ?? []) {
        if (!seen.has(child)) {
          seen.add(child);
          result.push(child);
          queue.push(child);
        }
      }
    }
    return result;
  }

  // ---- clients ----

  addClient(input: {
    org_id: string;
    client_id?: string;
    client_secret?: string;
    client_name: string;
    grant_types: GrantType[];
    scopes: string[];
    public: boolean;
    access_token_duration: number;
    refresh_token_duration: number;
    redirect_uris: string[];
    created_at?: string;
    last_used?: string;
  }): { client: ClientRecord; secret: string } {
    const secret = input.client_secret ?? newClientSecret();
    const client: ClientRecord = {
      client_id: input.client_id ?? randomUUID(),
      client_name: input.client_name,
      grant_types: input.grant_types,
      response_types: responseTypesFor(input.grant_types, input.scopes),
      scopes: input.scopes,
      public: input.public,
      access_token_duration: input.access_token_duration,
      refresh_token_duration: input.refresh_token_duration,
      redirect_uris: input.redirect_uris,
      created_at: input.created_at ?? new Date().toISOString(),
      ...(input.last_used !== undefined ? { last_used: input.last_used } : {}),
      org_id: input.org_id,
      secret_sha256: sha256(secret),
    };
    this.clients.set(client.client_id, client);
    return { client, secret };
  }

  /** A new secret for the client; the old one stops working at once. */
  rotateSecret(client: ClientRecord): string {
    const secret = newClientSecret();
    client.secret_sha256 = sha256(secret);
    return secret;
  }

  /** Deletes the client and revokes every token issued to it. */
  deleteClient(clientId: string): void {
    this.clients.delete(clientId);
    for (const [key, token] of this.tokens) {
      if (token.client_id === clientId) this.tokens.delete(key);
    }
  }

  /**
   * Revokes every token of an authorization grant (its code's, and those issued from its refresh
   * tokens), and remembers the grant so that tokens being signed for it at this moment are never
   * recorded (a code or refresh token replayed while its first use is still signing).
   */
  revokeGrant(grantId: string): number {
    this.revokedGrants.add(grantId);
    if (this.revokedGrants.size > REVOKED_GRANTS_KEPT) {
      this.revokedGrants.delete(this.revokedGrants.values().next().value!);
    }
    let count = 0;
    for (const [key, token] of this.tokens) {
      if (token.grant_id === grantId) {
        this.tokens.delete(key);
        count++;
      }
    }
    return count;
  }

  /** Whether `revokeGrant` was called for this grant. */
  grantRevoked(grantId: string): boolean {
    return this.revokedGrants.has(grantId);
  }

  /**
   * Remembers a revoke-all (its tokens are deleted by the caller), so that tokens being signed for the
   * same client and person at that moment, which it would have revoked, are never recorded.
   */
  noteRevokeAll(clientId: string, personId: string, untilMs: number): void {
    const key = `${clientId}\n${personId}`;
    this.revokeAlls.delete(key);
    this.revokeAlls.set(key, { atMs: Date.now(), untilMs });
    if (this.revokeAlls.size > REVOKED_GRANTS_KEPT) {
      this.revokeAlls.delete(this.revokeAlls.keys().next().value!);
    }
  }

  /** Whether a revoke-all for this client and person came after `startedMs` and covers tokens issued then. */
  revokedAllSince(clientId: string, personId: string, startedMs: number): boolean {
    const latest = this.revokeAlls.get(`${clientId}\n${personId}`);
    return latest !== undefined && latest.atMs >= startedMs && latest.untilMs >= startedMs;
  }

  /** The client when `secret` is its current secret. */
  clientBySecret(clientId: string, secret: string): ClientRecord | undefined {
    const client = this.clients.get(clientId);
    return client && client.secret_sha256 === sha256(secret) ? client : undefined;
  }
}

/** 32 random bytes, base64url (43 characters). */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The response types a client may use, derived from its grants: authorization_code gives `code`, and
 * with the `openid` scope also `code id_token`; client_credentials alone has none.
 */
export function responseTypesFor(grantTypes: readonly GrantType[], scopes: readonly string[]): string[][] {
  if (!grantTypes.includes('authorization_code')) return [];
  return scopes.includes('openid') ? [['code'], ['code', 'id_token']] : [['code']];
}

/** The client as the API shows it (no org, no secret hash). */
export function publicClient(client: ClientRecord): OAuth2Client {
  const { org_id: _org, secret_sha256: _secret, ...rest } = client;
  return rest;
}
