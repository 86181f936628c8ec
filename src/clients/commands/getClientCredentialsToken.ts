import * as vscode from 'vscode';
import type { Services } from '../../services';
import { UserFacingError, describeFailure } from '../../common/failures';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import { resolveClient } from '../commandArgs';
import type { IntrospectionResponse, TokenResponse } from '../../slashid/schemas';
import { formatInstant } from '../instants';
import { maskToken } from '../../tokens/mask';
import { inertLabel } from '../../slashid/untrustedText';
import { renderJson } from '../../tokens/renderJson';

export interface TokenResult {
  readonly token: TokenResponse;
  readonly introspection?: IntrospectionResponse;
}

/**
 * "SlashID: Get Client-Credentials Token": uses the stored secret, introspects the opaque token, shows
 * the response (token masked) in a read-only document, and copies the token on request.
 */
export async function getClientCredentialsToken(
  services: Services,
  docs: ReadOnlyDocuments,
  node?: unknown,
): Promise<TokenResult | undefined> {
  const ref = await resolveClient(services, node, 'Get a token for which client?', (c) => c.grant_types.includes('client_credentials'));
  if (!ref) {
    return undefined;
  }
  const { target, client } = ref;
  if (!client.grant_types.includes('client_credentials')) {
    throw new UserFacingError(
      `"${client.client_name}" does not allow the client-credentials grant. Add it with "SlashID: Edit Client" (grant types).`,
    );
  }
  const secret = await services.vault.getClientSecret(target.connection.id, client.client_id);
  if (!secret) {
    const choice = await services.ui.warn(
      `No secret is stored for "${client.client_name}", so no token can be requested. Store one you have, or rotate the secret to get a new one.`,
      'Store Existing Secret',
      'Rotate Secret',
    );
    if (choice) {
      await vscode.commands.executeCommand(
        choice === 'Rotate Secret' ? 'slashid.clients.rotateSecret' : 'slashid.clients.storeSecret',
        node,
      );
    }
    return undefined;
  }
  let scopes: string[] | undefined;
  if (client.scopes.length > 0) {
    const picked = await services.ui.pickMany(
      client.scopes.map((s) => ({ label: s, picked: true })),
      { title: `Scopes for "${client.client_name}"`, placeholder: "Scopes to request (none selected: the client's default)" },
    );
    if (!picked) {
      return undefined;
    }
    scopes = picked.map((p) => p.label);
  }
  const api = await services.orgApis.forTarget(target);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Requesting a token for "${inertLabel(client.client_name)}"…` },
    async (): Promise<TokenResult> => {
      const token = await api.getClientCredentialsToken(client.client_id, secret, scopes);
      try {
        const introspection = await api.introspectToken(client.client_id, secret, token.access_token, 'access_token');
        return { token, introspection };
      } catch (err) {
        services.log.warn('clients', `introspection failed: ${describeFailure(err)}`);
        return { token };
      }
    },
  );
  const t = result.token;
  const view = {
    token_type: t.token_type,
    access_token: `${maskToken(t.access_token)} (${t.access_token.length} characters, hidden — use "Copy Access Token")`,
    expires_in: t.expires_in,
    scope: t.scope,
    introspection: result.introspection
      ? {
          ...result.introspection,
          ...(result.introspection.exp ? { exp_readable: describeInstant(result.introspection.exp) } : {}),
          ...(result.introspection.iat ? { iat_readable: describeInstant(result.introspection.iat) } : {}),
        }
      : 'introspection failed: see the SlashID log',
  };
  // Depth-limited: the introspection answer may carry anything the server adds (see renderJson.ts).
  const rendered = renderJson(view);
  await docs.show(`${client.client_name} token.json`, (rendered.note ? `// ${rendered.note}\n` : '') + rendered.text + '\n', 'json', [
    secret,
    t.access_token,
  ]);
  void services.ui
    .info(
      `Got a ${t.token_type} token for "${client.client_name}" (expires in ${Math.round(t.expires_in / 60)} min${result.introspection ? `, introspection: ${result.introspection.active ? 'active' : 'inactive'}` : ''}).`,
      'Copy Access Token',
    )
    .then(async (choice) => {
      if (choice === 'Copy Access Token') {
        await vscode.env.clipboard.writeText(t.access_token);
      }
    });
  return result;
}

function describeInstant(seconds: number): string {
  const t = formatInstant(new Date(seconds * 1000).toISOString());
  return `${t.utc} (${t.relative})`;
}
