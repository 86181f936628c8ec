import * as z from 'zod/mini';

/**
 * The message protocol between the token minter's webview and the extension host, shared by both sides
 * (the webview bundle imports this file). Every message is validated with these schemas on arrival, at
 * both ends; a message that does not match is dropped and logged, never acted on.
 *
 * - The webview starts with `ready`; the host answers with `init` (organizations, preselection, mode).
 * - Requests carry a `requestId`; the host answers each with exactly one `reply` holding the same id.
 * - Notifications (`copy`, `log`, `orgs`, `preselect`, `showTokens`) get no reply.
 *
 * Raw tokens cross to the webview only in a `revealed` reply, when the user asks to see one; the
 * webview never stores them (`setState` holds the form inputs only, see `FormState`).
 *
 * Browser-safe: imports only zod/mini.
 */

export const PROTOCOL_LIMITS = {
  id: 200,
  label: 500,
  text: 4_000,
  /** Custom claims text; the validator rejects claims over 16 KB itself, with a clear message. */
  claimsText: 256 * 1024,
  scopes: 100,
  scope: 200,
  list: 1_000,
  /**
   * Clients in one `clients` reply. An org may have any number: the webview asks again with a search text
   * (`query`), so no message ever has to carry them all.
   */
  clientPage: 200,
  /** A token (JWT) as sent in a reveal reply. */
  token: 64 * 1024,
  /** Pretty JSON of a token's header, payload or introspection. */
  json: 256 * 1024,
} as const;

const id = z.string().check(z.minLength(1), z.maxLength(PROTOCOL_LIMITS.id));
const label = z.string().check(z.maxLength(PROTOCOL_LIMITS.label));
const text = z.string().check(z.maxLength(PROTOCOL_LIMITS.text));
const requestId = z.int().check(z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
const scope = z.string().check(z.minLength(1), z.maxLength(PROTOCOL_LIMITS.scope));
const json = z.string().check(z.maxLength(PROTOCOL_LIMITS.json));
const list = <T extends z.ZodMiniType>(item: T, max: number = PROTOCOL_LIMITS.list) => z.array(item).check(z.maxLength(max));

// ---------------------------------------------------------------------------------------------------
// Shapes

/** A connected organization or one of its loaded sub-organizations. `key` = `<connection id>#<org id>`. */
export const OrgOptionSchema = z.strictObject({ key: id, label, detail: label, isSubOrg: z.boolean() });
export type OrgOption = z.infer<typeof OrgOptionSchema>;

export const ClientOptionSchema = z.strictObject({
  clientId: id,
  name: label,
  scopes: list(scope, PROTOCOL_LIMITS.scopes),
  grantTypes: list(label, 20),
  hasSecret: z.boolean(),
});
export type ClientOption = z.infer<typeof ClientOptionSchema>;

export const PersonOptionSchema = z.strictObject({ personId: id, label, detail: label });
export type PersonOption = z.infer<typeof PersonOptionSchema>;

/** The form's inputs: what `setState` keeps and the serializer restores. Never a token. */
export const FormStateSchema = z.strictObject({
  orgKey: z.optional(id),
  clientId: z.optional(id),
  personId: z.optional(z.string().check(z.maxLength(PROTOCOL_LIMITS.id))),
  personQuery: z.optional(z.string().check(z.maxLength(PROTOCOL_LIMITS.id))),
  scopes: list(scope, PROTOCOL_LIMITS.scopes),
  extraScopes: z.string().check(z.maxLength(PROTOCOL_LIMITS.text)),
  claimsText: z.string().check(z.maxLength(PROTOCOL_LIMITS.claimsText)),
});
export type FormState = z.infer<typeof FormStateSchema>;

export const EMPTY_FORM: FormState = { scopes: ['openid'], extraScopes: '', claimsText: '' };

/** A problem shown next to the claims editor: the validator's, or the server's answer to a mint. */
export const ProblemSchema = z.strictObject({
  code: z.enum(['syntax', 'not-object', 'reserved-claim', 'forbidden-key', 'duplicate-key', 'too-large', 'server']),
  message: text,
  /** 1-based; absent when the problem has no place in the text (a server message naming no claim). */
  line: z.optional(z.int().check(z.gte(1))),
  column: z.optional(z.int().check(z.gte(1))),
  offset: z.optional(z.int().check(z.gte(0))),
  length: z.optional(z.int().check(z.gte(0))),
  claim: z.optional(label),
});
export type Problem = z.infer<typeof ProblemSchema>;

import { VERDICTS } from './verdicts';

/** How each verdict is named and coloured, the same in the webview and in hovers (codicon names). */

export const TimeViewSchema = z.strictObject({
  claim: z.enum(['exp', 'iat', 'nbf', 'auth_time']),
  iso: label,
  local: label,
  relative: label,
  inFuture: z.boolean(),
});
export type TimeView = z.infer<typeof TimeViewSchema>;

/** One token as the results show it: decoded and verified on the host; the raw token stays there. */
export const TokenViewSchema = z.strictObject({
  /** Handle for `reveal` and `copy`; the host keeps the token under it, in memory. */
  tokenId: id,
  title: label,
  kind: z.enum(['jwt', 'opaque', 'malformed']),
  /** Enough to recognise the token, never enough to use it. */
  masked: label,
  length: z.int().check(z.gte(0)),
  /** Extra facts (provider, expiry, client ID…), label and value. */
  facts: list(z.strictObject({ label, value: text }), 50),
  header: z.optional(json),
  payload: z.optional(json),
  /** Top-level payload claims to highlight (the custom claims of a mint). */
  highlight: list(label, 500),
  times: list(TimeViewSchema, 10),
  timeProblems: list(text, 10),
  verdict: z.strictObject({ status: z.enum(VERDICTS), message: text }),
  introspection: z.optional(json),
  /** A sentence about the token (e.g. why it was not introspected, why it could not be decoded). */
  note: z.optional(text),
  /** What the card offers for a token whose client is known (code flow, refresh): see `TOKEN_ACTIONS`. */
  actions: z.optional(list(z.enum(['refresh', 'revoke', 'userinfo', 'introspect']), 4)),
});
export type TokenView = z.infer<typeof TokenViewSchema>;

// ---------------------------------------------------------------------------------------------------
// Webview -> host

export const ReadyMessageSchema = z.strictObject({ type: z.literal('ready') });
export const LoadClientsRequestSchema = z.strictObject({
  type: z.literal('loadClients'),
  requestId,
  orgKey: id,
  /** Only clients whose name or ID contains this text (case-insensitive); all when absent or empty. */
  query: z.optional(z.string().check(z.maxLength(PROTOCOL_LIMITS.label))),
  /** A client to include even when it is not on the page (the one already chosen). */
  include: z.optional(id),
});
export const SearchPersonsRequestSchema = z.strictObject({
  type: z.literal('searchPersons'),
  requestId,
  orgKey: id,
  query: z.string().check(z.maxLength(PROTOCOL_LIMITS.id)),
});
export const MintRequestSchema = z.strictObject({
  type: z.literal('mint'),
  requestId,
  orgKey: id,
  clientId: id,
  personId: id,
  scopes: list(scope, PROTOCOL_LIMITS.scopes),
  claimsText: z.string().check(z.maxLength(PROTOCOL_LIMITS.claimsText)),
});
export const RevealRequestSchema = z.strictObject({ type: z.literal('reveal'), requestId, tokenId: id });
/** Refresh, revoke, userinfo or introspect a token the panel holds (its client is known to the host). */
export const TokenActionRequestSchema = z.strictObject({
  type: z.literal('tokenAction'),
  requestId,
  tokenId: id,
  action: z.enum(['refresh', 'revoke', 'userinfo', 'introspect']),
});
export type TokenAction = z.infer<typeof TokenActionRequestSchema>['action'];
export const CopyMessageSchema = z.strictObject({ type: z.literal('copy'), tokenId: id, what: z.enum(['token', 'payload']) });
export const LogMessageSchema = z.strictObject({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: text });

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  ReadyMessageSchema,
  LoadClientsRequestSchema,
  SearchPersonsRequestSchema,
  MintRequestSchema,
  RevealRequestSchema,
  CopyMessageSchema,
  LogMessageSchema,
  TokenActionRequestSchema,
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;
export type MintRequest = z.infer<typeof MintRequestSchema>;
export type WebviewRequest = Extract<WebviewMessage, { requestId: number }>;

// ---------------------------------------------------------------------------------------------------
// Host -> webview

export const ReplySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('clients'),
    clients: list(ClientOptionSchema, PROTOCOL_LIMITS.clientPage + 1),
    /** How many clients match the query (may be more than the page holds). */
    matching: z.int().check(z.gte(0)),
  }),
  z.strictObject({ kind: z.literal('persons'), persons: list(PersonOptionSchema), more: z.boolean() }),
  z.strictObject({ kind: z.literal('minted'), tokens: list(TokenViewSchema, 10) }),
  z.strictObject({ kind: z.literal('mintRejected'), message: text, problems: list(ProblemSchema, 200) }),
  z.strictObject({ kind: z.literal('revealed'), tokenId: id, token: z.string().check(z.maxLength(PROTOCOL_LIMITS.token)) }),
  z.strictObject({ kind: z.literal('failed'), message: text }),
  /**
   * A token action's outcome: a sentence, the token's card redrawn (`replaced`, e.g. inactive after
   * revoke; several after a refresh retires the old refresh token), new tokens beside the old ones
   * (`added`, after a refresh), or a JSON document to show (userinfo).
   */
  z.strictObject({
    kind: z.literal('tokenActionDone'),
    message: text,
    replaced: list(TokenViewSchema, 10),
    added: list(TokenViewSchema, 10),
    json: z.optional(z.strictObject({ title: label, text: json })),
    /** Older token sets the panel no longer keeps after a refresh: their cards go, and the note says so. */
    dropped: z.optional(z.strictObject({ tokenIds: list(id, 30), note: text })),
  }),
]);
export type Reply = z.infer<typeof ReplySchema>;

/** Which reply kinds answer which request (a failure can answer any). */
export const REPLY_KINDS: Readonly<Record<WebviewRequest['type'], readonly Reply['kind'][]>> = {
  loadClients: ['clients', 'failed'],
  searchPersons: ['persons', 'failed'],
  mint: ['minted', 'mintRejected', 'failed'],
  reveal: ['revealed', 'failed'],
  tokenAction: ['tokenActionDone', 'failed'],
};

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('init'),
    mode: z.enum(['minter', 'viewer']),
    orgs: list(OrgOptionSchema),
    /** From a client's context menu: the org and client to select. */
    preselect: z.optional(z.strictObject({ orgKey: id, clientId: z.optional(id) })),
    /**
     * The last results, when the webview is shown again after being hidden (it reloads then). Views only:
     * raw tokens stay on the host and are asked for with `reveal`.
     */
    results: z.optional(list(TokenViewSchema, 10)),
  }),
  z.strictObject({ type: z.literal('orgs'), orgs: list(OrgOptionSchema) }),
  z.strictObject({ type: z.literal('preselect'), orgKey: id, clientId: z.optional(id) }),
  z.strictObject({ type: z.literal('reply'), requestId, reply: ReplySchema }),
  z.strictObject({ type: z.literal('showTokens'), title: label, summary: z.optional(text), tokens: list(TokenViewSchema, 100) }),
  /** The panel refreshed a refresh token's set on its own before the access token expired (`slashid.tokenPanel.autoRefresh`). */
  z.strictObject({ type: z.literal('autoRefreshed'), tokenId: id, reply: ReplySchema }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---------------------------------------------------------------------------------------------------

export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Validates a message from the webview; `reason` says why it was rejected (never quotes values). */
export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  return toResult(WebviewMessageSchema.safeParse(raw));
}

/** Validates a message from the host. */
export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  return toResult(HostMessageSchema.safeParse(raw));
}

/** Validates a saved form state (from `getState` or the serializer). */
export function parseFormState(raw: unknown): ParseResult<FormState> {
  return toResult(FormStateSchema.safeParse(raw));
}

function toResult<T>(result: { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } }): ParseResult<T> {
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: describeIssues(result.error.issues) };
}

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly expected?: unknown;
  readonly message?: string;
}

/** "invalid_type at requestId (expected int)"; the first three issues. Values are never quoted. */
export function describeIssues(issues: readonly Issue[]): string {
  if (issues.length === 0) return 'rejected';
  const parts = issues.slice(0, 3).map((issue) => {
    const where = issue.path.length === 0 ? 'the message' : issue.path.map((p) => (typeof p === 'symbol' ? '?' : String(p))).join('.');
    const expected = typeof issue.expected === 'string' ? ` (expected ${issue.expected})` : '';
    return `${issue.code} at ${where}${expected}`;
  });
  return parts.join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : '');
}
