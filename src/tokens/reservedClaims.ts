/**
 * The claim names SlashID reserves: `POST /oauth2/tokens/mint` answers 400 when `custom_claims` uses one.
 * The list is the one published on the "Mint OAuth 2.0 & OIDC tokens" page (36 names, copied in
 * order, dotted names included). Matching is exact and case-sensitive: `Exp` or `exp_` are ordinary
 * custom claims. Each name carries a short reason, shown to the user next to the rejected key.
 *
 * Browser-safe: no Node or VS Code imports (the minter webview validates claims as you type).
 */

const STANDARD = 'is a registered JWT claim (RFC 7519) that SlashID sets itself';
const SLASHID_SET = 'is set by SlashID on every token it mints';
const SLASHID_INTERNAL = 'is used internally by SlashID tokens';
const SLASHID_NAMESPACE = 'is a SlashID namespace';

/** Reserved claim name -> why it is reserved (a sentence fragment: "<name> <reason>"). */
export const RESERVED_CLAIM_REASONS: Readonly<Record<string, string>> = Object.freeze({
  aud: `${STANDARD} (the audience)`,
  exp: "is set by SlashID from the client's access-token duration",
  jti: `${STANDARD} (a unique token ID)`,
  iat: `${STANDARD} (the time the token was issued)`,
  iss: `${STANDARD} (the issuer, the SlashID API URL)`,
  nbf: `${STANDARD} (the time before which the token is not valid)`,
  sub: `${STANDARD} (the subject)`,
  prev_token_id: 'links a refreshed token to the one it replaced and is set by SlashID',
  oid: 'is the organization ID and is set by SlashID',
  org_id: 'is an organization ID claim reserved by SlashID',
  user_id: 'is a user ID claim reserved by SlashID',
  person_id: 'is the ID of the person the token is minted for and is set by SlashID',
  first_token: `${SLASHID_SET} (false for minted tokens)`,
  authenticated_methods: `${SLASHID_SET} (["api"] for minted tokens)`,
  oidc_tokens: 'carries the tokens of an OIDC login and is set by SlashID',
  user_token: SLASHID_INTERNAL,
  groups: "carries the person's SlashID groups and is set by SlashID",
  roles: "carries the person's SlashID roles and is set by SlashID",
  access_token: 'is an OAuth 2.0 token field and cannot be a claim',
  refresh_token: 'is an OAuth 2.0 token field and cannot be a claim',
  id: SLASHID_INTERNAL,
  id_token: 'is an OpenID Connect token field and cannot be a claim',
  gdpr: 'is reserved for GDPR consent data managed by SlashID',
  gdpr_consent: 'is reserved for GDPR consent data managed by SlashID',
  gdpr_consent_level: 'is reserved for GDPR consent data managed by SlashID',
  parent_user_id: 'links a sub-organization user to its parent and is set by SlashID',
  parent_person_id: 'links a sub-organization person to its parent and is set by SlashID',
  parent_org_id: 'is the parent organization ID and is set by SlashID',
  parent_oid: 'is the parent organization ID and is set by SlashID',
  attributes: "carries the person's SlashID attributes and is set by SlashID",
  custom_claims: 'is the name of the request field itself; put custom claims directly inside it',
  slashid: SLASHID_NAMESPACE,
  'slashid.dev': SLASHID_NAMESPACE,
  'slashid.com': SLASHID_NAMESPACE,
  'slashid.me': SLASHID_NAMESPACE,
  sid: 'is the SlashID session ID claim and is set by SlashID',
});

/** The 36 reserved names, in the order SlashID's documentation lists them. */
export const RESERVED_CLAIMS: readonly string[] = Object.freeze(Object.keys(RESERVED_CLAIM_REASONS));

const RESERVED_SET: ReadonlySet<string> = new Set(RESERVED_CLAIMS);

/** True for an exact (case-sensitive) reserved name. */
export function isReservedClaim(name: string): boolean {
  return RESERVED_SET.has(name);
}

/** The reason a name is reserved, or undefined when it is not. */
export function reservedClaimReason(name: string): string | undefined {
  return RESERVED_SET.has(name) ? RESERVED_CLAIM_REASONS[name] : undefined;
}
