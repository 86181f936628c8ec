import { withoutTrailingSlashes } from '../slashid/contract';
import type { JwksCache } from '../tokens/verify';
import type { VerifyResult } from '../tokens/verification';
import type { DecodedToken } from '../tokens/decode';
import type { LocalEmulatorHost } from '../emulatorHost/localEmulatorHost';
import type { OrgConnections } from './connections';
import type { OrgTarget } from './orgTarget';

/** How long a hover waits for a verdict before showing the token without one. */
export const HOVER_VERIFY_TIMEOUT_MS = 1_500;
/** How long the minter and the decoded views wait for a verdict. */
export const PANEL_VERIFY_TIMEOUT_MS = 6_000;

/**
 * Verifies tokens against the JWKS of organizations the user has connected (or the local emulator).
 * The JWKS URL is always built from an issuer we know (`${baseUrl}/.well-known/jwks.json`), never from
 * whatever `iss` a token claims: a token from an unknown issuer is decoded but not checked.
 *
 * One per activation (in `Services`), so the minter, the token viewer and the hover share one JWKS cache.
 * The verifier core (jose) loads on the first verification, not at activation.
 */
export class TokenVerifier {
  private cache: Promise<JwksCache> | undefined;
  private cacheTimeoutMs: number | undefined;

  constructor(
    private readonly connections: OrgConnections,
    private readonly emulator: LocalEmulatorHost,
    /** The request timeout (the 'slashid.requestTimeout' setting): JWKS fetches use the API client's. */
    private readonly requestTimeoutMs: () => number = () => 15_000,
  ) {}

  /** The API base URL of an org target: the issuer of its tokens. */
  baseUrlOf(target: OrgTarget): string {
    const { connection } = target;
    const url = connection.environment === 'emulator' ? (this.emulator.currentUrl() ?? connection.baseUrl) : connection.baseUrl;
    return withoutTrailingSlashes(url);
  }

  /** The organizations connected at `issuer` (the orgs a token verified against its key set may belong to). */
  orgsOf(issuer: string): string[] {
    const orgs = new Set<string>();
    for (const connection of this.connections.all()) {
      if (this.baseUrlOf({ connection, orgId: connection.orgId }) === issuer) orgs.add(connection.orgId);
    }
    return [...orgs];
  }

  /** Every issuer we can vouch for: connected orgs' base URLs and the running emulator's. */
  knownIssuers(): string[] {
    const issuers = new Set<string>();
    for (const connection of this.connections.all()) {
      issuers.add(this.baseUrlOf({ connection, orgId: connection.orgId }));
    }
    const emulatorUrl = this.emulator.currentUrl();
    if (emulatorUrl) issuers.add(withoutTrailingSlashes(emulatorUrl));
    return [...issuers];
  }

  /** The known issuer a token's `iss` names, if any. */
  knownIssuerOf(iss: unknown): string | undefined {
    if (typeof iss !== 'string' || iss.length > 2_000) return undefined;
    const wanted = withoutTrailingSlashes(iss);
    return this.knownIssuers().find((issuer) => issuer === wanted);
  }

  /**
   * Verifies against `issuer`'s JWKS; after `timeoutMs` answers `jwks-unavailable` instead of waiting.
   * With `orgId`, a valid token of another organization says so; with `audience`, the `aud` is checked
   * too (an ID token's must be its client ID). Never throws.
   */
  async verify(
    token: DecodedToken,
    issuer: string,
    timeoutMs: number,
    orgId?: string | readonly string[],
    audience?: string,
  ): Promise<VerifyResult> {
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
      const requestTimeoutMs = this.requestTimeoutMs();
      if (this.cache === undefined || this.cacheTimeoutMs !== requestTimeoutMs) {
        this.cacheTimeoutMs = requestTimeoutMs;
        this.cache = import('../tokens/verify.js').then(({ JwksCache }) => new JwksCache({ timeoutMs: requestTimeoutMs }));
      }
      const cache = this.cache;
      const options = { issuer, ...(orgId === undefined ? {} : { orgId }), ...(audience === undefined ? {} : { audience }) };
      return await Promise.race([cache.then((c) => c.verify(token, options)), timeout]);
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
