import * as z from 'zod/mini';
import { cancelled, refused, type ChatTool } from './chatTool';
import { orgField } from './inputFields';
import { clientDetails, findOrg, orgOf } from './toolTargets';
import { createClientIn } from '../orgs/clientWrites';
import { describeTarget } from '../orgs/orgTarget';
import { DEFAULT_ACCESS_TOKEN_DURATION, DEFAULT_REFRESH_TOKEN_DURATION } from '../slashid/contract';
import type { CreateClientRequest } from '../slashid/schemas';
import { formatDuration } from '../tokens/times';
import { inertText } from '../slashid/untrustedText';
import { describeRedirectUri } from './confirmationText';
import { notAsConfirmed, sameTarget } from './confirmedTargets';

const duration = (what: string) =>
  z.optional(
    z.int().check(z.positive(), z.describe(`${what} token lifetime in seconds (default ${what === 'Access' ? '1 day' : '10 days'}).`)),
  );

const input = z.object({
  org: orgField,
  name: z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(200), z.describe('The client name (shown to people in consent screens and logs).')),
  grantTypes: z
    .array(z.enum(['client_credentials', 'authorization_code']))
    .check(
      z.minLength(1),
      z.describe('client_credentials (machine to machine, needs a secret) and/or authorization_code (people sign in in a browser).'),
    ),
  scopes: z.optional(z.array(z.string()).check(z.describe('Scopes the client may request (may be empty).'))),
  public: z.optional(
    z
      .boolean()
      .check(z.describe('true for a client that cannot keep a secret (browser, device); not with client_credentials. Default false.')),
  ),
  redirectUris: z.optional(z.array(z.string()).check(z.describe('Redirect URIs; at least one for authorization_code.'))),
  accessTokenDurationSeconds: duration('Access'),
  refreshTokenDurationSeconds: duration('Refresh'),
});
type Input = z.infer<typeof input>;

/** The create request the input asks for, or why it cannot be sent. */
function requestOf(input: Input): { request: CreateClientRequest } | { error: string } {
  const isPublic = input.public ?? false;
  if (isPublic && input.grantTypes.includes('client_credentials')) {
    return { error: 'A client with the client_credentials grant needs a secret, so it cannot be public; nothing was created.' };
  }
  const redirectUris = input.redirectUris ?? [];
  if (input.grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    return { error: 'The authorization_code grant needs at least one redirect URI; nothing was created.' };
  }
  const withCode = input.grantTypes.includes('authorization_code');
  return {
    request: {
      client_name: input.name,
      grant_types: [...new Set(input.grantTypes)],
      scopes: input.scopes ?? [],
      public: isPublic,
      ...(redirectUris.length ? { redirect_uris: redirectUris } : {}),
      access_token_duration: input.accessTokenDurationSeconds ?? DEFAULT_ACCESS_TOKEN_DURATION,
      ...(withCode ? { refresh_token_duration: input.refreshTokenDurationSeconds ?? DEFAULT_REFRESH_TOKEN_DURATION } : {}),
    },
  };
}

function describeRequest(request: CreateClientRequest): string {
  const list = (values: readonly string[] | undefined) =>
    values && values.length ? values.map((v) => inertText(v, 200)).join(' ') : 'none';
  return [
    `grant types: ${request.grant_types.join(', ')}`,
    `scopes: ${list(request.scopes)}`,
    request.public ? 'public (no secret)' : 'confidential',
    ...(request.redirect_uris ? [`redirect URIs: ${request.redirect_uris.map(describeRedirectUri).join(' ')}`] : []),
    `access tokens live ${formatDuration(request.access_token_duration ?? DEFAULT_ACCESS_TOKEN_DURATION)}`,
    ...(request.refresh_token_duration !== undefined ? [`refresh tokens live ${formatDuration(request.refresh_token_duration)}`] : []),
  ].join('; ');
}

/** slashid_createClient (asks first): a new OAuth2 client; its secret goes to SecretStorage, never to the chat. */
export const createClientTool: ChatTool<typeof input> = {
  name: 'slashid_createClient',
  input,
  reach: 'organization',
  invocationMessage: ({ name }) => `Creating the OAuth2 client ${inertText(name, 200)}`,
  async confirmation(services, value) {
    const name = inertText(value.name, 200);
    const found = await findOrg(services, value.org);
    const built = requestOf(value);
    if ('error' in found || 'error' in built) {
      return {
        messages: {
          title: `Create the OAuth2 client "${name}"?`,
          message: `This request cannot run as given (${'error' in found ? found.error : 'error' in built ? built.error : ''}). Continue lets the tool report it; nothing will be created.`,
        },
      };
    }
    return {
      messages: {
        title: `Create the OAuth2 client "${name}" in ${describeTarget(found.target)}?`,
        message: `SlashID creates the client "${name}" in ${describeTarget(found.target)} (org ${found.target.orgId}): ${describeRequest(built.request)}. ${built.request.public ? 'A public client has no secret.' : "Its secret is stored in VS Code's secret storage and is not shown to the chat."}`,
      },
      confirmed: { target: found.target, request: built.request },
    };
  },
  async run(services, value, token, confirmed) {
    const found = await findOrg(services, value.org);
    if ('error' in found) return refused(found.error);
    const built = requestOf(value);
    if ('error' in built) return refused(built.error);
    // The exact body and organization the confirmation showed: the input looked up again must still give both.
    const taken = confirmed.take((c) => sameTarget(c.target, found.target) && JSON.stringify(c.request) === JSON.stringify(built.request));
    if (!taken?.request) {
      return refused(notAsConfirmed('slashid_createClient', `the organization ${inertText(describeTarget(found.target), 120)}`));
    }
    if (token.isCancellationRequested) return cancelled('slashid_createClient');
    const { client, secret } = await createClientIn(services, taken.target, taken.request);
    return {
      ok: true,
      ...orgOf(taken.target),
      created: clientDetails(client, secret !== undefined),
      note: secret
        ? 'The client secret is stored in VS Code\'s secret storage (the user can copy it with "SlashID: Copy Client Secret"); the chat never sees it.'
        : 'A public client has no secret.',
    };
  },
};
