import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError, describeFailure } from '../../common/failures';
import { rootTarget } from '../../orgs/orgTarget';
import { tokenAt } from '../../tokens/recognize';
import { inspectToken } from '../../tokenPanels/tokenInspection';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';
import type { IntrospectionResponse } from '../../slashid/schemas';

/** Clients tried at most (each is one introspection request). */
const MAX_CLIENTS_TRIED = 5;

export interface IntrospectTokenResult {
  readonly active: boolean;
  /** The client whose secret answered. */
  readonly clientId: string;
  readonly viewer: TokenViewerController;
}

/**
 * "SlashID: Introspect Token": the opaque SlashID token at a document position (the hover's link) or under
 * the cursor, introspected with a stored client secret of a connected organization (each is tried until
 * one says the token is active), and shown in the token panel.
 */
export async function introspectTokenAt(
  services: Services,
  uri?: unknown,
  line?: unknown,
  character?: unknown,
): Promise<IntrospectTokenResult | undefined> {
  const token = tokenAtPosition(uri, line, character);
  if (!token) {
    throw new UserFacingError('No opaque SlashID token (sid_at_… or sid_rt_…) is under the cursor; put the cursor on one and try again.');
  }
  const candidates = services.connections
    .all()
    .flatMap((connection) => [...services.vault.clientsWithSecret(connection.id)].map((clientId) => ({ connection, clientId })))
    .slice(0, MAX_CLIENTS_TRIED);
  if (candidates.length === 0) {
    throw new UserFacingError(
      'No client secret is stored, and introspection needs one; store a confidential client\'s secret with "SlashID: Store Existing Client Secret" and try again.',
    );
  }
  const hint = token.startsWith('sid_rt_') ? 'refresh_token' : 'access_token';
  let answer: { response: IntrospectionResponse; clientId: string } | undefined;
  let failure: unknown;
  for (const { connection, clientId } of candidates) {
    const secret = await services.vault.getClientSecret(connection.id, clientId);
    if (!secret) continue;
    try {
      const api = await services.orgApis.forTarget(rootTarget(connection));
      const response = await api.introspectToken(clientId, secret, token, hint);
      answer ??= { response, clientId };
      if (response.active) {
        answer = { response, clientId };
        break;
      }
    } catch (err) {
      failure ??= err;
    }
  }
  if (!answer) {
    throw new UserFacingError(`The token could not be introspected with any stored client secret: ${describeFailure(failure)}`);
  }
  const { response, clientId } = answer;
  const title = hint === 'refresh_token' ? 'Refresh token' : 'Access token';
  const view = await inspectToken(token, {
    tokenId: 'introspected',
    title,
    facts: [{ label: 'Introspected with', value: `client ${clientId}` }],
    introspect: () => Promise.resolve(response),
  });
  const viewer = showTokenViewer(services, {
    title: 'Introspected token',
    summary: `Introspected with the stored secret of client ${clientId}.`,
    tokens: [{ view, held: { raw: token, title, ...(view.introspection !== undefined ? { payloadJson: view.introspection } : {}) } }],
  });
  return { active: response.active, clientId, viewer };
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
  const found = tokenAt(document.lineAt(position.line).text, position.character);
  return found && found.kind !== 'jwt' ? found.value : undefined;
}
