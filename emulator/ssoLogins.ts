import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EMULATOR_MAX_SSO_CONTAINER_LIFETIME, SSO_TOKEN_CONTAINER_TYP } from '../src/slashid/contract';
import { SigningKey } from './signingKey';
import type { EmulatorState, ProviderRecord, SsoLoginRecord } from './state';
import { SSO_PROVIDERS, type SsoLoginInput, type SsoProvider } from './types';

export const DEFAULT_CONTAINER_LIFETIME = 86400;
/** Longest container lifetime (seconds, either way: a negative one gives an already expired container). */
export const MAX_CONTAINER_LIFETIME = EMULATOR_MAX_SSO_CONTAINER_LIFETIME;
const PROVIDER_TOKEN_LIFETIME = 3600;
const PROVIDER_REFRESH_LIFETIME = 30 * 86400;

/** An SSO login that cannot be created: `status` is what the HTTP control route answers. */
export class SsoLoginError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'SsoLoginError';
  }
}

/** The issuer of a provider's ID tokens; its JWKS is served under it (`…/jwks.json`). */
export function providerIssuer(emulatorUrl: string, provider: string): string {
  return `${emulatorUrl}/__emulator/providers/${provider}`;
}

function isProvider(value: string): value is SsoProvider {
  return (SSO_PROVIDERS as readonly string[]).includes(value);
}

/** Provider-looking opaque tokens (Google's `ya29.`/`1//`, GitHub's `gho_`/`ghr_`, else plain base64url). */
function providerOpaqueToken(provider: SsoProvider, kind: 'access' | 'refresh'): string {
  const random = randomBytes(kind === 'access' ? 48 : 36).toString('base64url');
  switch (provider) {
    case 'google':
      return (kind === 'access' ? 'ya29.' : '1//') + random;
    case 'github':
      return (kind === 'access' ? 'gho_' : 'ghr_') + random.replace(/[-_]/g, 'x').slice(0, 36);
    default:
      return random;
  }
}

/**
 * SSO logins: what an OIDC login through a provider leaves behind. Each login keeps the provider's
 * tokens (an ID token signed by a per-provider key, an access token, a refresh token) and is reached
 * through its token container — an RS256 JWT signed by the emulator's key whose `jti` is the login's
 * `authentication_id`, with `typ: SSO_TOKEN_CONTAINER_TYP` in its protected header so that it is never
 * taken for an access token (and an access token never for a container).
 */
export class SsoLogins {
  private readonly pendingProviders = new Map<SsoProvider, Promise<ProviderRecord>>();

  constructor(
    private readonly state: EmulatorState,
    private readonly issuer: () => string,
  ) {}

  async create(input: SsoLoginInput): Promise<string> {
    const provider = input.provider;
    if (!isProvider(provider)) {
      throw new SsoLoginError(
        400,
        `Unknown provider ${JSON.stringify(String(provider).slice(0, 32))}; use one of ${SSO_PROVIDERS.join(', ')}.`,
      );
    }
    if (!this.state.orgs.has(input.org_id)) {
      throw new SsoLoginError(404, 'No organization with this ID.');
    }
    const person = this.state.persons.get(input.person_id);
    if (!person || person.org_id !== input.org_id) {
      throw new SsoLoginError(404, 'No person with this ID in the organization.');
    }
    const lifetime = input.expires_in ?? DEFAULT_CONTAINER_LIFETIME;
    if (!Number.isInteger(lifetime) || Math.abs(lifetime) > MAX_CONTAINER_LIFETIME) {
      throw new SsoLoginError(
        400,
        `expires_in must be an integer number of seconds from -${MAX_CONTAINER_LIFETIME} to ${MAX_CONTAINER_LIFETIME} (at most one day).`,
      );
    }
    const { client_id: providerClientId, key } = await this.providerRecord(provider);
    const now = Math.floor(Date.now() / 1000);
    const email = person.handles.find((h) => h.type === 'email_address')?.value;
    const idToken = await key.sign({
      iss: providerIssuer(this.issuer(), provider),
      aud: providerClientId,
      sub: createHash('sha256').update(`${provider}:${person.person_id}`).digest('hex').slice(0, 21),
      ...(email !== undefined ? { email, email_verified: true } : {}),
      iat: now,
      exp: now + PROVIDER_TOKEN_LIFETIME,
    });
    const at = (seconds: number) => new Date((now + seconds) * 1000).toISOString();
    const login: SsoLoginRecord = {
      authentication_id: randomUUID(),
      org_id: input.org_id,
      person_id: person.person_id,
      provider,
      provider_client_id: providerClientId,
      tokens: [
        { token: providerOpaqueToken(provider, 'access'), token_type: 'access', expiry: at(PROVIDER_TOKEN_LIFETIME) },
        { token: providerOpaqueToken(provider, 'refresh'), token_type: 'refresh', expiry: at(PROVIDER_REFRESH_LIFETIME) },
        { token: idToken, token_type: 'id', expiry: at(PROVIDER_TOKEN_LIFETIME) },
      ],
      created_at: new Date(now * 1000).toISOString(),
    };
    this.state.ssoLogins.set(login.authentication_id, login);
    await this.state.persist();
    return this.state.signingKey.sign(
      {
        authenticated_methods: ['oidc'],
        exp: now + lifetime,
        first_token: false,
        iat: now,
        iss: this.issuer(),
        jti: login.authentication_id,
        oid: input.org_id,
        person_id: person.person_id,
      },
      SSO_TOKEN_CONTAINER_TYP,
    );
  }

  /** The provider's signing key and OAuth client ID, made on first use and kept in the state. */
  private providerRecord(provider: SsoProvider): Promise<ProviderRecord> {
    const existing = this.state.providers.get(provider);
    if (existing) return Promise.resolve(existing);
    let pending = this.pendingProviders.get(provider);
    if (!pending) {
      pending = SigningKey.generate().then((key) => {
        const record = { client_id: `emulator-${provider}-${randomBytes(6).toString('hex')}`, key };
        this.state.providers.set(provider, record);
        this.pendingProviders.delete(provider);
        return record;
      });
      this.pendingProviders.set(provider, pending);
    }
    return pending;
  }
}
