import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError } from '../../common/failures';
import type { OrgConnection } from '../../orgs/connections';
import { rootTarget } from '../../orgs/orgTarget';
import { tokenAt } from '../../tokens/recognize';
import { decodeToken } from '../../tokens/decode';
import { withoutTrailingSlashes } from '../../slashid/contract';
import { inertText } from '../../slashid/untrustedText';
import { inspectToken } from '../../tokenPanels/tokenInspection';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';
import type { OAuth2Client } from '../../slashid/schemas';

export interface IntrospectTokenResult {
  readonly active: boolean;
  /** The client whose secret answered. */
  readonly clientId: string;
  readonly viewer: TokenViewerController;
}

/** The organization and client of the last introspection (IDs only, in memory): offered first next time. */
let lastUsed: { readonly connectionId: string; readonly clientId: string } | undefined;

/**
 * "SlashID: Introspect Token": the SlashID token at a document position (the hover's link) or under the
 * cursor, introspected with the stored secret of the client the person picks, of the organization they
 * pick, and shown in the token panel. The token goes to that organization's server only: it is never
 * tried against the other connected organizations (a production token would be disclosed to them). The
 * organization whose issuer a JWT names, or else the last one used, is offered first.
 */
export async function introspectTokenAt(
  services: Services,
  uri?: unknown,
  line?: unknown,
  character?: unknown,
): Promise<IntrospectTokenResult | undefined> {
  const token = tokenAtPosition(uri, line, character);
  if (!token) {
    throw new UserFacingError('No SlashID token (a JWT, sid_at_… or sid_rt_…) is under the cursor; put the cursor on one and try again.');
  }
  const connection = await pickOrganization(services, token);
  if (!connection) return undefined;
  const client = await pickClient(services, connection);
  if (!client) return undefined;
  const name = inertText(client.client_name);
  const secret = await services.vault.getClientSecret(connection.id, client.client_id);
  if (!secret) {
    throw new UserFacingError(
      `"${name}" has no stored client secret, and introspection needs one; store it with "SlashID: Store Existing Client Secret" (or pick a client marked "client secret stored") and try again.`,
    );
  }
  lastUsed = { connectionId: connection.id, clientId: client.client_id };
  const hint = token.startsWith('sid_rt_') ? 'refresh_token' : 'access_token';
  const api = await services.orgApis.forTarget(rootTarget(connection));
  const response = await api.introspectToken(client.client_id, secret, token, hint);
  const title = hint === 'refresh_token' ? 'Refresh token' : 'Access token';
  const view = await inspectToken(token, {
    tokenId: 'introspected',
    title,
    facts: [{ label: 'Introspected with', value: `"${name}" of ${inertText(connection.name)}` }],
    introspect: () => Promise.resolve(response),
  });
  const viewer = showTokenViewer(services, {
    title: 'Introspected token',
    summary: `Introspected with the stored secret of "${name}" of ${inertText(connection.name)}.`,
    tokens: [{ view, held: { raw: token, title, ...(view.introspection !== undefined ? { payloadJson: view.introspection } : {}) } }],
  });
  return { active: response.active, clientId: client.client_id, viewer };
}

/** Asks which connected organization's server may see the token; the one a JWT's issuer names, or the last used, first. */
async function pickOrganization(services: Services, token: string): Promise<OrgConnection | undefined> {
  const all = services.connections.all();
  if (all.length === 0) {
    throw new UserFacingError(
      'No SlashID organization is connected, and introspection asks the organization that issued the token; connect it with "SlashID: Connect Organization" and try again.',
    );
  }
  const issuerOf = issuerMatch(services, token, all);
  const ranked = [...all].sort((a, b) => rank(b) - rank(a));
  function rank(c: OrgConnection): number {
    return (issuerOf === c.id ? 2 : 0) + (lastUsed?.connectionId === c.id ? 1 : 0);
  }
  const picked = await services.ui.pick(
    ranked.map((c) => ({
      label: c.name,
      description: [c.environment, issuerOf === c.id ? 'issued this token' : lastUsed?.connectionId === c.id ? 'last used' : '']
        .filter(Boolean)
        .join(' · '),
      detail: c.baseUrl,
      connection: c,
    })),
    { title: 'Introspect Token', placeholder: 'Which organization may see this token? It is sent to its server only' },
  );
  return picked?.connection;
}

/** The connection a JWT's `iss` (and `oid`, when several orgs share the issuer) names, if any. */
function issuerMatch(services: Services, token: string, all: readonly OrgConnection[]): string | undefined {
  if (!token.startsWith('eyJ')) return undefined;
  const decoded = decodeToken(token);
  if (!decoded.ok || typeof decoded.payload.iss !== 'string') return undefined;
  const iss = withoutTrailingSlashes(decoded.payload.iss);
  const atIssuer = all.filter((c) => services.tokenVerifier.baseUrlOf(rootTarget(c)) === iss);
  const oid = (decoded.payload as { oid?: unknown }).oid;
  return (atIssuer.find((c) => c.orgId === oid) ?? atIssuer[0])?.id;
}

/** Asks which client's secret introspects it: the clients of `connection`, those with a stored secret (the last used) first. */
async function pickClient(services: Services, connection: OrgConnection): Promise<OAuth2Client | undefined> {
  const state = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading OAuth2 clients…' }, () =>
    services.model.load(rootTarget(connection)),
  );
  if (state.kind === 'error') throw new UserFacingError(state.message);
  if (state.kind !== 'loaded') return undefined;
  const withSecret = services.vault.clientsWithSecret(connection.id);
  const rank = (c: OAuth2Client) =>
    (withSecret.has(c.client_id) ? 2 : 0) + (lastUsed?.connectionId === connection.id && lastUsed.clientId === c.client_id ? 1 : 0);
  const clients = [...state.clients].sort((a, b) => rank(b) - rank(a));
  if (clients.length === 0) {
    throw new UserFacingError(
      `${inertText(connection.name)} has no OAuth2 client, and introspection needs a confidential client's secret; create one with "SlashID: Create OAuth2 Client" and try again.`,
    );
  }
  const picked = await services.ui.pick(
    clients.map((c) => ({
      label: c.client_name,
      description: withSecret.has(c.client_id) ? 'client secret stored' : 'no stored secret',
      detail: c.client_id,
      client: c,
    })),
    { title: `Introspect Token at ${connection.name}`, placeholder: 'Which client introspects it (with its stored secret)?' },
  );
  return picked?.client;
}

function tokenAtPosition(uri: unknown, line: unknown, character: unknown): string | undefined {
  let document: vscode.TextDocument | undefined;
  let position: vscode.Position | undefined;
  if (typeof uri === 'string' && Number.isInteger(line) && Number.isInteger(character)) {
    const target = vscode.Uri.parse(uri, true);
    document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    position = new vscode.Position(line as number, character as number);
  } else {
    const editor = vscode.window.activeTextEditor;
    document = editor?.document;
    position = editor?.selection.active;
  }
  if (!document || !position || position.line >= document.lineCount) return undefined;
  return tokenAt(document.lineAt(position.line).text, position.character)?.value;
}
