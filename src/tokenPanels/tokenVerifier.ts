import type { Services } from '../services';
import { JwksCache, type VerifyResult } from '../tokens/verify';
import type { DecodedToken } from '../tokens/decode';
import type { OrgTarget } from '../orgs/orgTarget';

/** How long a hover waits for a verdict before showing the token without one. */
export const HOVER_VERIFY_TIMEOUT_MS = 1_500;
/** How long the minter and the decoded views wait for a verdict. */
export const PANEL_VERIFY_TIMEOUT_MS = 6_000;

/**
 * Verifies tokens against the JWKS of organizations the user has connected (or the local emulator).
 * The JWKS URL is always built from an issuer we know (`${baseUrl}/.well-known/jwks.json`), never from
 * whatever `iss` a token claims: a token from an unknown issuer is decoded but not checked.
 */
export class TokenVerifier {
  private readonly cache = new JwksCache({ timeoutMs: 5_000 });

  constructor(private readonly services: Services) {}

  /** The API base URL of an org target: the issuer of its tokens. */
  baseUrlOf(target: OrgTarget): string {
    const { connection } = target;
    const url = connection.environment === 'emulator' ? (this.services.emulator.currentUrl() ?? connection.baseUrl) : connection.baseUrl;
    return stripSlash(url);
  }

  /** Every issuer we can vouch for: connected orgs' base URLs and the running emulator's. */
  knownIssuers(): string[] {
    const issuers = new Set<string>();
    for (const connection of this.services.connections.all()) {
      issuers.add(this.baseUrlOf({ connection, orgId: connection.orgId }));
    }
    const emulatorUrl = this.services.emulator.currentUrl();
    if (emulatorUrl) issuers.add(stripSlash(emulatorUrl));
    return [...issuers];
  }

  /** The known issuer a token's `iss` names, if any. */
  knownIssuerOf(iss: unknown): string | undefined {
    if (typeof iss !== 'string' || iss.length > 2_000) return undefined;
    const wanted = stripSlash(iss);
    return this.knownIssuers().find((issuer) => issuer === wanted);
  }

  /** Verifies against `issuer`'s JWKS; after `timeoutMs` answers `jwks-unavailable` instead of waiting. Never throws. */
  async verify(token: DecodedToken, issuer: string, timeoutMs: number): Promise<VerifyResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<VerifyResult>((resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            verdict: 'jwks-unavailable',
            message: `The signing keys of ${issuer} did not arrive within ${(timeoutMs / 1000).toFixed(1)} s; the token was not verified.`,
          }),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.cache.verify(token, { issuer }), timeout]);
    } catch (err) {
      return {
        verdict: 'jwks-unavailable',
        message: `The token could not be verified: ${err instanceof Error ? err.message : String(err)}`,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

const verifiers = new WeakMap<Services, TokenVerifier>();

/** One verifier (one JWKS cache) per activation, shared by the minter and the inspection features. */
export function tokenVerifierFor(services: Services): TokenVerifier {
  let verifier = verifiers.get(services);
  if (!verifier) {
    verifier = new TokenVerifier(services);
    verifiers.set(services, verifier);
  }
  return verifier;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
