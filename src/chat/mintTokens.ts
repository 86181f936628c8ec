import * as z from 'zod/mini';
import { cancelled, refused, type ChatTool } from './chatTool';
import { clientIdField, orgField } from './inputFields';
import { clientSummary, orgOf } from './toolTargets';
import { clientWriteConfirmation, confirmedClient, nameClient } from './clientWriteConfirmation';
import { describeClaims } from './confirmationText';
import { tokenSummary } from './tokenSummary';
import { validateCustomClaims } from '../tokens/claims';
import { inspectMintedTokens, mintedTokenCards } from '../tokenPanels/mintedTokens';
import { showTokenViewer } from '../tokenPanels/tokenViewerPanel';
import { inertText } from '../slashid/untrustedText';

const input = z.object({
  org: orgField,
  clientId: clientIdField,
  personId: z
    .string()
    .check(z.minLength(1), z.maxLength(200), z.describe('The person the tokens are for (slashid_searchPersons finds it).')),
  scopes: z.optional(z.array(z.string()).check(z.describe('Scopes to grant (among those the client may request).'))),
  customClaims: z.optional(
    z
      .record(z.string(), z.unknown())
      .check(
        z.describe(
          'Custom claims for the tokens, e.g. {"team": "blue"}. Reserved claims (iss, sub, aud, exp, scope, …) and __proto__-style keys are refused.',
        ),
      ),
  ),
});
type Input = z.infer<typeof input>;

let minted = 0;

/** The custom claims as the minter checks them (the same rules, on their JSON text), or why they are refused. */
function checkClaims(input: Input): { claims: Record<string, unknown>; text: string } | { error: string } {
  const text = JSON.stringify(input.customClaims ?? {});
  const validation = validateCustomClaims(text);
  if (!validation.ok) {
    return {
      error: `The custom claims were refused, so nothing was sent: ${validation.problems.map((p) => p.message).join(' ')}`,
    };
  }
  return { claims: validation.value ?? {}, text };
}

/**
 * slashid_mintTokens (asks first): tokens for a person through a client, with scopes and custom claims. The
 * tokens open in a token panel; the chat gets only their decoded payloads and verdicts, never a raw token.
 */
export const mintTokensTool: ChatTool<typeof input> = {
  name: 'slashid_mintTokens',
  input,
  reach: 'organization',
  invocationMessage: ({ personId }) => `Minting tokens for person ${inertText(personId, 80)}`,
  async confirmation(services, value) {
    const checked = checkClaims(value);
    if ('error' in checked) {
      return {
        messages: {
          title: 'Mint tokens?',
          message: `This request cannot run as given (${checked.error}). Continue lets the tool report it; nothing will be minted.`,
        },
      };
    }
    const scopes = value.scopes?.length ? value.scopes.map((s) => inertText(s, 100)).join(' ') : 'none';
    const claims = describeClaims(checked.claims);
    return clientWriteConfirmation(services, value, 'Mint tokens with', (client, target) => ({
      title: `Mint tokens for person ${inertText(value.personId, 80)}?`,
      message: `SlashID mints tokens for person ${inertText(value.personId, 80)} with the client ${nameClient(client, target)}; scopes: ${scopes}; custom claims: ${claims}. The tokens open in a token panel; the chat sees only their decoded payloads and verdicts.`,
    }));
  },
  async run(services, value, token, confirmed) {
    const checked = checkClaims(value);
    if ('error' in checked) return refused(checked.error);
    const known = await confirmedClient(services, 'slashid_mintTokens', value, confirmed);
    if ('error' in known) return refused(known.error);
    if (token.isCancellationRequested) return cancelled('slashid_mintTokens');
    const { target, client } = known;
    const scopes = [...new Set(value.scopes ?? [])];
    const api = await services.orgApis.forTarget(target);
    const result = await api.mintTokens({ person_id: value.personId, client_id: client.client_id, scopes, custom_claims: checked.claims });
    const tokens = await inspectMintedTokens(services, target, client.client_id, result, Object.keys(checked.claims), `chat-${++minted}`);
    showTokenViewer(services, {
      title: 'Minted tokens',
      summary: `Minted from the chat for person ${inertText(value.personId, 80)} with the client "${inertText(client.client_name, 200)}".`,
      tokens: mintedTokenCards(tokens, target, client, scopes, result.access_token),
    });
    services.log.info('chat', `minted ${tokens.map((t) => t.field).join(', ')} for client ${client.client_id} from the chat`);
    return {
      ok: true,
      ...orgOf(target),
      client: clientSummary(client),
      personId: inertText(value.personId, 80),
      scopes: scopes.map((s) => inertText(s, 100)),
      customClaims: Object.keys(checked.claims).map((k) => inertText(k, 100)),
      tokens: tokens.map(({ view }) => ({ type: view.title, ...tokenSummary(view) })),
      note: 'The raw tokens are shown only in the token panel that opened for the user.',
    };
  },
};
