import * as z from 'zod/mini';
import { refused, type ChatTool } from './chatTool';
import { tokenSummary } from './tokenSummary';
import { inspectToken } from '../tokenPanels/tokenInspection';
import { PANEL_VERIFY_TIMEOUT_MS } from '../orgs/tokenVerifier';
import { MAX_TOKEN_LENGTH } from '../tokens/limits';

const input = z.object({
  token: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(MAX_TOKEN_LENGTH),
      z.describe('The token: a JWT, "Bearer <jwt>", or an opaque SlashID token (sid_at_… / sid_rt_…).'),
    ),
});

let decoded = 0;

/**
 * slashid_decodeToken: a token decoded and, when its issuer is a connected org or the emulator, verified
 * against that org's keys: the same inspection and verdicts as the hover and "SlashID: Decode Token".
 */
export const decodeTokenTool: ChatTool<typeof input> = {
  name: 'slashid_decodeToken',
  input,
  // Decodes, and fetches only public keys (JWKS) of a connected issuer: nothing goes out with the user's key.
  reach: 'local',
  invocationMessage: () => 'Decoding and verifying a token',
  async run(services, { token }) {
    const raw = token.trim().replace(/^bearer\s+/i, '');
    const view = await inspectToken(raw, {
      tokenId: `chat-${++decoded}`,
      title: 'Token',
      verifier: services.tokenVerifier,
      verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
    });
    if (view.kind === 'malformed') {
      return refused(`Not a token that can be decoded: ${view.verdict.message}`);
    }
    return { ok: true, token: tokenSummary(view) };
  },
};
