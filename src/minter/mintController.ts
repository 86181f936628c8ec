import type { Services } from '../services';
import { targetKey, type OrgTarget } from '../orgs/orgTarget';
import { describeFailure } from '../common/failures';
import { RequestValidationError, SlashIdApiError } from '../slashid/errors';
import type { MintResult, OAuth2Client, Person } from '../slashid/schemas';
import { validateCustomClaims, type ClaimProblem } from '../tokens/claims';
import { decodeToken } from '../tokens/decode';
import { inspectToken } from '../tokenPanels/tokenInspection';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
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
import { actionsFor } from '../tokenPanels/oauthTokenViews';

/** How many persons one search shows. */
export const PERSON_SEARCH_LIMIT = 50;

const TOKEN_TITLES = { access_token: 'Access token', id_token: 'ID token', refresh_token: 'Refresh token' } as const;
const ORIGIN_KINDS = { access_token: 'access', id_token: 'id', refresh_token: 'refresh' } as const;

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

  protected async handle(request: Exclude<WebviewRequest, { type: 'reveal' | 'tokenAction' }>): Promise<Reply> {
    switch (request.type) {
      case 'loadClients':
        return this.loadClients(request.orgKey);
      case 'searchPersons':
        return this.searchPersons(request.orgKey, request.query);
      case 'mint':
        return this.mint(request);
    }
  }

  private target(orgKey: string): OrgTarget | undefined {
    return resolveOrgKey(this.services, orgKey);
  }

  private async loadClients(orgKey: string): Promise<Reply> {
    const target = this.target(orgKey);
    if (!target) return notConnected();
    const state = await this.services.model.load(target);
    if (state.kind === 'error') return { kind: 'failed', message: state.message };
    if (state.kind !== 'loaded') return { kind: 'failed', message: 'The clients are not loaded yet; try again.' };
    const withSecret = this.services.vault.clientsWithSecret(target.connection.id);
    const clients: ClientOption[] = state.clients.map((client) => this.clientOption(client, withSecret.has(client.client_id)));
    // Loading a root org also loads its sub-organizations: offer them.
    void this.refreshOrgs();
    return { kind: 'clients', clients };
  }

  private clientOption(client: OAuth2Client, hasSecret: boolean): ClientOption {
    return {
      clientId: client.client_id,
      name: client.client_name || client.client_id,
      scopes: client.scopes.slice(0, 100),
      grantTypes: client.grant_types.slice(0, 20),
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
        persons: persons.slice(0, PERSON_SEARCH_LIMIT).map(personOption),
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
    // The client, so that the cards offer Refresh, Revoke, Userinfo and Introspect (tokenActions.ts).
    const client = this.services.model.findClient(target, clientId);
    const verifier = this.services.tokenVerifier;
    const issuer = verifier.baseUrlOf(target);
    const views: TokenView[] = [];
    for (const field of ['access_token', 'id_token', 'refresh_token'] as const) {
      const raw = result[field];
      if (typeof raw !== 'string' || raw.length === 0) continue;
      const tokenId = `${prefix}:${field}`;
      const title = TOKEN_TITLES[field];
      const view = await inspectToken(raw, {
        tokenId,
        title,
        issuer,
        orgId: target.orgId,
        verifier,
        verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
        highlight: customClaims,
        introspect: (token) => this.introspect(target, clientId, token, field === 'refresh_token' ? 'refresh_token' : 'access_token'),
      });
      const origin = client && {
        target,
        clientId,
        clientName: client.client_name || clientId,
        publicClient: client.public === true,
        kind: ORIGIN_KINDS[field],
        scopes,
      };
      this.tokens.hold(tokenId, { raw, title, payloadJson: view.payload ?? view.introspection, ...(origin ? { origin } : {}) });
      const actions = origin ? actionsFor(origin, raw) : [];
      views.push(actions.length > 0 ? { ...view, actions } : view);
    }
    return views;
  }

  private async introspect(
    target: OrgTarget,
    clientId: string,
    token: string,
    hint: 'access_token' | 'refresh_token',
  ): Promise<Record<string, unknown> | string> {
    const secret = await this.services.vault.getClientSecret(target.connection.id, clientId);
    if (!secret) {
      return 'Opaque token; store the client secret to introspect it ("SlashID: Store Existing Client Secret").';
    }
    try {
      const api = await this.services.orgApis.forTarget(target);
      return { ...(await api.introspectToken(clientId, secret, token, hint)) };
    } catch (err) {
      return `Opaque token; introspection failed: ${describeFailure(err)}`;
    }
  }
}

function notConnected(): Reply {
  return {
    kind: 'failed',
    message: 'That organization is no longer connected (or its sub-organizations are not loaded). Pick the organization again.',
  };
}

function personOption(person: Person): PersonOption {
  const handles = (person.handles ?? []).map((h) => h.value).filter((v) => v.length > 0);
  return {
    personId: person.person_id,
    label: handles[0] ?? person.person_id,
    detail: [handles[0] ? person.person_id : undefined, person.active ? undefined : 'inactive', person.region].filter(Boolean).join(' · '),
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
