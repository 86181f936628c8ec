import type { Services } from '../services';
import { targetKey, type OrgTarget } from '../orgs/orgTarget';
import { describeFailure } from '../common/failures';
import { RequestValidationError, SlashIdApiError } from '../slashid/errors';
import type { MintResult, OAuth2Client, Person } from '../slashid/schemas';
import { validateCustomClaims, type ClaimProblem } from '../tokens/claims';
import { decodeToken } from '../tokens/decode';
import { inspectMintedTokens, mintedTokenCards } from '../tokenPanels/mintedTokens';
import { orgOptions, resolveOrgKey } from './orgOptions';
import type {
  ClientOption,
  HostMessage,
  MintRequest,
  PersonOption,
  Problem,
  Reply,
  TokenView,
  WebviewRequest,
} from '../tokenPanels/protocol';
import { TokenPanelController, type PostMessage } from '../tokenPanels/tokenPanelController';
import { serverProblems } from './serverProblems';
import { PERSON_SEARCH_LIMIT } from '../slashid/personSearch';
import { PROTOCOL_LIMITS } from '../tokenPanels/protocol';
import { shorten } from '../slashid/untrustedText';

/** A client's name in the form's list: longer names are shortened, with "…". */
const CLIENT_NAME_MAX = 200;

/**
 * The minter's host side: lists organizations, clients and persons for the form, validates the custom
 * claims again (the webview's check is for the user; this one guards the request), mints, and turns
 * each returned token into a decoded, verified view. Raw tokens stay in `tokens` (memory only).
 */
export class MintController extends TokenPanelController {
  private preselect: { orgKey: string; clientId?: string } | undefined;
  /** The org list last sent, so that `orgs` goes out only when it changed. */
  private lastOrgs = '';
  /** The last mint's views (no raw tokens), shown again when the webview reloads after being hidden. */
  private lastResults: TokenView[] | undefined;

  constructor(services: Services, post: PostMessage, preselect?: { target: OrgTarget; clientId?: string }) {
    super(services, post, 'minter');
    this.preselect = preselect ? { orgKey: targetKey(preselect.target), clientId: preselect.clientId } : undefined;
  }

  /** Selects an org and client in an open minter (the client context menu on an open panel). */
  async select(target: OrgTarget, clientId?: string): Promise<void> {
    this.preselect = { orgKey: targetKey(target), clientId };
    await this.send({ type: 'preselect', ...this.preselect });
  }

  /** Connected orgs changed, or sub-organizations were loaded. */
  async refreshOrgs(): Promise<void> {
    const orgs = orgOptions(this.services);
    const text = JSON.stringify(orgs);
    if (text === this.lastOrgs) return;
    this.lastOrgs = text;
    await this.send({ type: 'orgs', orgs });
  }

  /** What `ready` is answered with: the orgs and the selection the panel was opened with. */
  initMessage(): Extract<HostMessage, { type: 'init' }> {
    const orgs = orgOptions(this.services);
    this.lastOrgs = JSON.stringify(orgs);
    return {
      type: 'init',
      mode: 'minter',
      orgs,
      ...(this.preselect ? { preselect: this.preselect } : {}),
      ...(this.lastResults ? { results: this.lastResults } : {}),
    };
  }

  protected async onReady(): Promise<void> {
    await this.send(this.initMessage());
  }

  /** The card of a minted token as drawn now, so that a token action can redraw it (a used refresh token retired). */
  protected override viewOf(tokenId: string): TokenView | undefined {
    return this.lastResults?.find((v) => v.tokenId === tokenId);
  }

  /** Redrawn cards replace theirs in the results shown again after a reload; the newest ten are kept (the protocol's limit). */
  protected override onViewsChanged(replaced: readonly TokenView[], added: readonly TokenView[], dropped: readonly string[]): void {
    if (!this.lastResults) return;
    const byId = new Map(replaced.map((v) => [v.tokenId, v]));
    const gone = new Set(dropped);
    this.lastResults = [...this.lastResults.filter((v) => !gone.has(v.tokenId)).map((v) => byId.get(v.tokenId) ?? v), ...added].slice(-10);
  }

  protected async handle(request: Exclude<WebviewRequest, { type: 'reveal' | 'tokenAction' }>): Promise<Reply> {
    switch (request.type) {
      case 'loadClients':
        return this.loadClients(request.orgKey, request.query ?? '', request.include);
      case 'searchPersons':
        return this.searchPersons(request.orgKey, request.query);
      case 'mint':
        return this.mint(request);
    }
  }

  private target(orgKey: string): OrgTarget | undefined {
    return resolveOrgKey(this.services, orgKey);
  }

  /**
   * One page of the org's clients (in the tree's order) whose name or ID contains `query`, plus `include`
   * (the client already chosen) when it is elsewhere. Any number of clients works: the webview searches.
   */
  private async loadClients(orgKey: string, query: string, include: string | undefined): Promise<Reply> {
    const target = this.target(orgKey);
    if (!target) return notConnected();
    const state = await this.services.model.load(target);
    if (state.kind === 'error') return { kind: 'failed', message: state.message };
    if (state.kind !== 'loaded') return { kind: 'failed', message: 'The clients are not loaded yet; try again.' };
    const needle = query.trim().toLowerCase();
    // A client ID longer than the protocol allows could not be minted for anyway: it is left out.
    const matching = state.clients.filter(
      (c) =>
        c.client_id.length <= PROTOCOL_LIMITS.id &&
        (!needle || c.client_id.toLowerCase().includes(needle) || c.client_name.toLowerCase().includes(needle)),
    );
    const page = matching.slice(0, PROTOCOL_LIMITS.clientPage);
    const included = include === undefined ? undefined : state.clients.find((c) => c.client_id === include);
    if (included && included.client_id.length <= PROTOCOL_LIMITS.id && !page.includes(included)) page.unshift(included);
    const withSecret = this.services.vault.clientsWithSecret(target.connection.id);
    const clients: ClientOption[] = page.map((client) => this.clientOption(client, withSecret.has(client.client_id)));
    // Loading a root org also loads its sub-organizations: offer them.
    void this.refreshOrgs();
    return { kind: 'clients', clients, matching: matching.length };
  }

  /** What the form shows of a client: names shortened for display, only scopes that can be sent back. */
  private clientOption(client: OAuth2Client, hasSecret: boolean): ClientOption {
    return {
      clientId: client.client_id,
      name: shorten(client.client_name || client.client_id, CLIENT_NAME_MAX),
      scopes: client.scopes.filter((s) => s.length > 0 && s.length <= PROTOCOL_LIMITS.scope).slice(0, PROTOCOL_LIMITS.scopes),
      grantTypes: client.grant_types.slice(0, 20).map((g) => shorten(g, PROTOCOL_LIMITS.label)),
      hasSecret,
    };
  }

  private async searchPersons(orgKey: string, query: string): Promise<Reply> {
    const target = this.target(orgKey);
    if (!target) return notConnected();
    try {
      const api = await this.services.orgApis.forTarget(target);
      // A SCIM filter built from what the user typed (an email, a phone number, a person ID, a username), never the text itself.
      const persons = await api.searchPersons(query, { limit: PERSON_SEARCH_LIMIT + 1, offset: 0 });
      return {
        kind: 'persons',
        persons: persons
          .slice(0, PERSON_SEARCH_LIMIT)
          .filter((p) => p.person_id.length <= PROTOCOL_LIMITS.id)
          .map(personOption),
        more: persons.length > PERSON_SEARCH_LIMIT,
      };
    } catch (err) {
      return { kind: 'failed', message: describeFailure(err) };
    }
  }

  private async mint(request: MintRequest): Promise<Reply> {
    const target = this.target(request.orgKey);
    if (!target) return notConnected();
    const validation = validateCustomClaims(request.claimsText);
    if (!validation.ok) {
      return {
        kind: 'mintRejected',
        message: 'Fix the custom claims first: nothing was sent.',
        problems: validation.problems.map(problemOf),
      };
    }
    const claims = validation.value ?? {};
    const scopes = [...new Set(request.scopes)];
    let result: MintResult;
    try {
      const api = await this.services.orgApis.forTarget(target);
      result = await api.mintTokens({ person_id: request.personId, client_id: request.clientId, scopes, custom_claims: claims });
    } catch (err) {
      const message = describeFailure(err);
      if (err instanceof SlashIdApiError && err.status === 400) {
        return { kind: 'mintRejected', message, problems: serverProblems(err.messages, message, request.claimsText, Object.keys(claims)) };
      }
      if (err instanceof RequestValidationError) {
        const named = err.problems.map((p) => `${p.field} ${p.message}`);
        return { kind: 'mintRejected', message, problems: serverProblems(named, message, request.claimsText, Object.keys(claims)) };
      }
      return { kind: 'failed', message };
    }
    const tokens = await this.viewsOf(target, request.clientId, result, Object.keys(claims), scopes);
    this.lastResults = tokens;
    this.services.log.info(
      'minter',
      `minted ${tokens.map((t) => t.title.toLowerCase()).join(', ')} for client ${request.clientId}${describeJtis(result)}`,
    );
    return { kind: 'minted', tokens };
  }

  private async viewsOf(
    target: OrgTarget,
    clientId: string,
    result: MintResult,
    customClaims: string[],
    scopes: readonly string[],
  ): Promise<TokenView[]> {
    const prefix = this.tokens.startResults();
    const minted = await inspectMintedTokens(this.services, target, clientId, result, customClaims, prefix);
    const client = this.services.model.findClient(target, clientId);
    const views: TokenView[] = [];
    for (const { view, held } of mintedTokenCards(minted, target, client, scopes, result.access_token)) {
      this.tokens.hold(view.tokenId, held);
      views.push(view);
    }
    this.heldTokensChanged();
    return views;
  }
}

function notConnected(): Reply {
  return {
    kind: 'failed',
    message: 'That organization is no longer connected (or its sub-organizations are not loaded). Pick the organization again.',
  };
}

/** A person as the form lists it: handles and details shortened to what a message may carry. */
function personOption(person: Person): PersonOption {
  const handles = (person.handles ?? []).map((h) => h.value).filter((v) => v.length > 0);
  return {
    personId: person.person_id,
    label: shorten(handles[0] ?? person.person_id, PROTOCOL_LIMITS.label),
    detail: shorten(
      [handles[0] ? person.person_id : undefined, person.active ? undefined : 'inactive', person.region].filter(Boolean).join(' · '),
      PROTOCOL_LIMITS.label,
    ),
  };
}

function problemOf(problem: ClaimProblem): Problem {
  return {
    code: problem.code,
    message: problem.message,
    line: problem.line,
    column: problem.column,
    offset: problem.offset,
    ...(problem.length !== undefined ? { length: problem.length } : {}),
    ...(problem.claim !== undefined ? { claim: problem.claim } : {}),
  };
}

/** ` (jti …, …)` of the JWTs minted: what the log may say about tokens. */
function describeJtis(result: MintResult): string {
  const jtis = [result.access_token, result.id_token]
    .map((t) => (typeof t === 'string' ? decodeToken(t) : undefined))
    .map((d) => (d?.ok && typeof d.payload.jti === 'string' ? d.payload.jti : undefined))
    .filter((j): j is string => j !== undefined);
  return jtis.length ? ` (jti ${jtis.join(', ')})` : '';
}
