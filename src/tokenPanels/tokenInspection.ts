import { decodeToken, type DecodedToken } from '../tokens/decode';
import { maskToken } from '../tokens/mask';
import { renderJson } from '../tokens/renderJson';
import { describeTimeClaims, describeTimeClaim, type TimeClaimDescription, type TimeOptions } from '../tokens/times';
import type { TimeView, TokenView } from './protocol';
import type { VerdictStatus } from './verdicts';
import type { TokenVerifier } from '../orgs/tokenVerifier';
import { signatureCut } from '../tokens/cutTokens';

/**
 * Turns one raw token into what the results show (`TokenView`): decoded header and payload as formatted
 * JSON, its times in UTC, local and relative form, and a verification verdict; opaque SlashID tokens are
 * introspected instead. Shared by the minter, "Decode Token", "Retrieve OIDC Tokens" and the hover.
 * Never throws: every failure becomes a sentence in the view.
 */

const OPAQUE_TOKEN = /^sid_(?:at|rt)_[A-Za-z0-9_-]{16,512}$/;

export interface InspectOptions {
  readonly tokenId: string;
  readonly title: string;
  /** The issuer to verify against (the org's base URL). Default: the token's `iss`, when it is a known issuer. */
  readonly issuer?: string;
  /**
   * The organization the token is checked against (a valid token of another org says so). Default: the
   * organizations connected at the issuer.
   */
  readonly orgId?: string;
  readonly verifier?: TokenVerifier;
  readonly verifyTimeoutMs?: number;
  /** Top-level payload claims to highlight (the custom claims sent to mint). */
  readonly highlight?: readonly string[];
  readonly facts?: readonly { label: string; value: string }[];
  /**
   * Introspects an opaque token: resolves to the introspection response, or to a sentence saying why it
   * was not introspected. Absent: opaque tokens are shown without introspection.
   */
  readonly introspect?: (token: string) => Promise<Record<string, unknown> | string>;
  readonly time?: TimeOptions;
  /**
   * Text that is not shaped like a JWT is an opaque token of someone else (an SSO provider's access
   * token), shown as such rather than as a malformed JWT.
   */
  readonly foreignOpaque?: string;
}

export function isOpaqueSlashIdToken(token: string): boolean {
  return OPAQUE_TOKEN.test(token);
}

export async function inspectToken(raw: string, options: InspectOptions): Promise<TokenView> {
  const token = raw.trim();
  const base = {
    tokenId: options.tokenId,
    title: options.title,
    masked: maskToken(token),
    length: token.length,
    facts: [...(options.facts ?? [])],
    highlight: [...(options.highlight ?? [])],
  };
  if (isOpaqueSlashIdToken(token)) {
    return inspectOpaque(token, base, options);
  }
  if (options.foreignOpaque !== undefined && token.split('.').length !== 3) {
    return {
      ...base,
      kind: 'opaque',
      times: [],
      timeProblems: [],
      verdict: { status: 'not-checked', message: `Opaque token of ${options.foreignOpaque}: not a JWT, so only its issuer can check it.` },
    };
  }
  const decoded = decodeToken(token);
  if (!decoded.ok) {
    return {
      ...base,
      kind: 'malformed',
      times: [],
      timeProblems: [],
      verdict: { status: 'malformed', message: decoded.message },
      note: decoded.message,
    };
  }
  const { times, problems } = describeTimeClaims(decoded.payload, options.time);
  const verdict = await verdictOf(decoded, options);
  const header = renderJson(decoded.header);
  const payload = renderJson(decoded.payload);
  // What the depth limit cut (a payload nested thousands of levels deep) is said in the note.
  const cut = [header.note, payload.note].filter((n): n is string => n !== undefined);
  return {
    ...base,
    kind: 'jwt',
    header: limitLength(header.text),
    payload: limitLength(payload.text),
    times: times.map(timeView),
    timeProblems: problems.map((p) => p.message),
    verdict,
    ...(cut.length > 0 ? { note: cut.join(' ') } : {}),
  };
}

async function verdictOf(decoded: DecodedToken, options: InspectOptions): Promise<{ status: VerdictStatus; message: string }> {
  if (decoded.algNone) {
    return {
      status: 'alg-none',
      message: `The token is unsecured (alg "${decoded.alg ?? 'none'}"): it has no signature, so nothing vouches for its contents.`,
    };
  }
  // A wrapped or truncated token would fail verification as a "bad signature": say what happened instead.
  const cut = signatureCut(decoded.alg, decoded.parts.signature);
  if (cut) {
    return { status: 'cut', message: cut.message };
  }
  const verifier = options.verifier;
  if (!verifier) {
    return { status: 'not-checked', message: 'The signature was not checked.' };
  }
  const issuer = options.issuer ?? verifier.knownIssuerOf(decoded.payload.iss);
  if (!issuer) {
    const iss = typeof decoded.payload.iss === 'string' ? `"${clip(decoded.payload.iss)}"` : 'no issuer';
    return {
      status: 'not-checked',
      message: `Not verified: the token names ${iss}, which is neither a connected SlashID organization nor the local emulator.`,
    };
  }
  const result = await verifier.verify(decoded, issuer, options.verifyTimeoutMs ?? 6_000, options.orgId ?? verifier.orgsOf(issuer));
  return { status: result.verdict, message: result.message };
}

async function inspectOpaque(
  token: string,
  base: Omit<TokenView, 'kind' | 'times' | 'timeProblems' | 'verdict'>,
  options: InspectOptions,
): Promise<TokenView> {
  const what = token.startsWith('sid_rt_') ? 'refresh token' : 'access token';
  const view: TokenView = {
    ...base,
    kind: 'opaque',
    times: [],
    timeProblems: [],
    verdict: {
      status: 'not-checked',
      message: `Opaque SlashID ${what}: it is not a JWT, so there is nothing to decode; SlashID checks it by introspection.`,
    },
  };
  if (!options.introspect) {
    return { ...view, note: `Opaque ${what}; introspect it with the client's secret to see whether it is active.` };
  }
  let result: Record<string, unknown> | string;
  try {
    result = await options.introspect(token);
  } catch (err) {
    result = `Introspection failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (typeof result === 'string') {
    return { ...view, note: result };
  }
  const times = (['exp', 'iat'] as const)
    .filter((claim) => typeof result[claim] === 'number' && Number.isFinite(result[claim]))
    .map((claim) => describeTimeClaim(claim, result[claim] as number, options.time ?? {}));
  const active = result.active === true;
  return {
    ...view,
    times: times.map(timeView),
    introspection: prettyJson(result),
    verdict: {
      status: active ? 'valid' : 'inactive',
      message: active ? `Introspection: the ${what} is active.` : `Introspection: the ${what} is not active (expired, revoked or unknown).`,
    },
  };
}

function timeView(time: TimeClaimDescription): TimeView {
  return { claim: time.claim, iso: time.iso, local: time.local, relative: time.relative, inFuture: time.inFuture };
}

/** Formatted JSON (2 spaces, depth-limited: renderJson), never longer than the protocol allows. */
export function prettyJson(value: unknown): string {
  return limitLength(renderJson(value).text);
}

function limitLength(text: string): string {
  return text.length > 200_000 ? `${text.slice(0, 200_000)}\n… (truncated)` : text;
}

function clip(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
