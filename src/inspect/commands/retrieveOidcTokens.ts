import * as vscode from 'vscode';
import type { Services } from '../../services';
import { resolveTarget } from '../../clients/commandArgs';
import { describeTarget } from '../../orgs/orgTarget';
import type { OidcToken } from '../../slashid/schemas';
import { decodeToken } from '../../tokens/decode';
import { describeTimeClaim } from '../../tokens/times';
import type { TokenView } from '../../tokenPanels/protocol';
import { inspectToken } from '../../tokenPanels/tokenInspection';
import { PANEL_VERIFY_TIMEOUT_MS } from '../../orgs/tokenVerifier';
import { looksLikeJwt, readTokenInput } from '../tokenSource';
import { showTokenViewer, type TokenViewerController } from '../../tokenPanels/tokenViewerPanel';

export interface OidcTokensResult {
  readonly tokens: readonly OidcToken[];
  readonly views: readonly TokenView[];
  readonly viewer: TokenViewerController;
}

const TYPE_LABELS: Record<OidcToken['token_type'], string> = { access: 'access token', refresh: 'refresh token', id: 'ID token' };

let retrievalCount = 0;

/**
 * "SlashID: Retrieve OIDC Tokens": the tokens an SSO provider issued during a login, fetched with the
 * SlashID token container of that login (`GET /sso/oidc/tokens`, header `SlashID-Token`). The container
 * comes from the selection, the clipboard (when it is a JWT) or an input box. 400/401/403/404 are
 * explained by `describeError` and shown by `registerCommand`.
 */
export async function retrieveOidcTokens(services: Services, argument?: unknown, node?: unknown): Promise<OidcTokensResult | undefined> {
  if (typeof argument === 'object' && argument !== null && node === undefined) {
    // Run from a tree node: the node names the org, the token comes from the usual places.
    node = argument;
    argument = undefined;
  }
  const input = await readTokenInput({
    argument,
    accept: looksLikeJwt,
    prompt: 'Paste the SlashID token (the token container issued after the SSO login)',
    placeHolder: 'eyJhbGciOi…',
    validate: (text) => {
      const decoded = decodeToken(text);
      return decoded.ok ? undefined : `That is not a SlashID token: ${decoded.message}`;
    },
  });
  if (!input) return undefined;
  const container = input.token;
  const target = await resolveTarget(services, node, 'Which organization issued the SSO login?');
  if (!target) return undefined;
  const api = await services.orgApis.forTarget(target);
  const tokens = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Fetching the OIDC tokens of the SSO login from ${describeTarget(target)}…` },
    () => api.getOidcTokens(container),
  );

  const verifier = services.tokenVerifier;
  const prefix = `oidc${++retrievalCount}`;
  const entries: { view: TokenView; held: { raw: string; title: string; payloadJson?: string } }[] = [];
  const containerView = await inspectToken(container, {
    tokenId: `${prefix}:container`,
    title: 'SlashID token container',
    issuer: verifier.baseUrlOf(target),
    orgId: target.orgId,
    verifier,
    verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
  });
  entries.push({
    view: containerView,
    held: { raw: container, title: 'SlashID token container', ...(containerView.payload ? { payloadJson: containerView.payload } : {}) },
  });

  for (const [index, token] of tokens.entries()) {
    const provider = token.provider ?? 'unknown provider';
    const title = `${capitalize(provider)} ${TYPE_LABELS[token.token_type]}`;
    const view = await inspectToken(token.token, {
      tokenId: `${prefix}:${index}`,
      title,
      verifier,
      verifyTimeoutMs: PANEL_VERIFY_TIMEOUT_MS,
      facts: factsOf(token),
      foreignOpaque: capitalize(provider),
    });
    entries.push({ view, held: { raw: token.token, title, ...(view.payload ? { payloadJson: view.payload } : {}) } });
  }
  const person = tokens[0]?.person_id;
  const summary =
    tokens.length === 0
      ? 'The SSO login has no provider tokens.'
      : `${tokens.length} token${tokens.length === 1 ? '' : 's'} from the ${tokens[0]?.provider ?? ''} login${person ? ` of person ${person}` : ''}, organization ${describeTarget(target)}.`;
  services.log.info('oidc', `retrieved ${tokens.length} OIDC token(s) of an SSO login from ${describeTarget(target)}`);
  const viewer = showTokenViewer(services, { title: 'OIDC tokens of the SSO login', summary, tokens: entries });
  return { tokens, views: entries.map((e) => e.view), viewer };
}

function factsOf(token: OidcToken): { label: string; value: string }[] {
  const facts: { label: string; value: string }[] = [];
  if (token.provider) facts.push({ label: 'Provider', value: token.provider });
  facts.push({ label: 'Type', value: TYPE_LABELS[token.token_type] });
  if (token.expiry) facts.push({ label: 'Expiry', value: describeExpiry(token.expiry) });
  if (token.client_id) facts.push({ label: 'Client ID', value: token.client_id });
  if (token.authentication_id) facts.push({ label: 'Authentication ID', value: token.authentication_id });
  if (token.person_id) facts.push({ label: 'Person ID', value: token.person_id });
  if (token.organization_id) facts.push({ label: 'Organization ID', value: token.organization_id });
  return facts;
}

function describeExpiry(expiry: string): string {
  const ms = Date.parse(expiry);
  if (Number.isNaN(ms)) return expiry;
  const t = describeTimeClaim('exp', ms / 1000);
  return `${t.iso} · ${t.local} · ${t.relative}`;
}

function capitalize(text: string): string {
  return text.length ? text[0].toUpperCase() + text.slice(1) : text;
}
