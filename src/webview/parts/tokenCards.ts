import type { Reply, TokenView } from '../../tokenPanels/protocol';
import { VERDICT_LABELS } from '../../tokenPanels/verdicts';
import type { HostConnection } from './hostConnection';
import { append, h } from './dom';
import { renderJson } from '../../tokens/renderJson';

const TIME_LABELS: Record<string, string> = { exp: 'Expires', iat: 'Issued', nbf: 'Not before', auth_time: 'Authenticated' };

/**
 * One card per token: verdict, the raw token masked until revealed, copy buttons, times, and the
 * decoded header and payload (custom claims highlighted). The raw token is asked from the host on
 * "Reveal" and lives only in this card's DOM; it is never saved in the webview state.
 */
export function renderTokenCards(tokens: readonly TokenView[], host: HostConnection): HTMLElement[] {
  return tokens.map((token) => renderTokenCard(token, host));
}

const ACTION_LABELS: Record<NonNullable<TokenView['actions']>[number], string> = {
  refresh: 'Refresh',
  revoke: 'Revoke',
  userinfo: 'Userinfo',
  introspect: 'Introspect',
};

function renderTokenCard(token: TokenView, host: HostConnection): HTMLElement {
  const verdict = VERDICT_LABELS[token.verdict.status];
  const headingId = `${token.tokenId}-title`.replace(/[^\w-]/g, '-');
  const card = h('article', { class: 'token-card', 'aria-labelledby': headingId, 'data-token-id': token.tokenId });
  append(
    card,
    h(
      'header',
      { class: 'token-header' },
      h('h2', { id: headingId }, token.title),
      h('span', { class: `verdict tone-${verdict.tone}`, 'data-verdict': token.verdict.status }, verdict.label),
      h(
        'span',
        { class: 'muted' },
        `${token.kind === 'jwt' ? 'JWT' : token.kind === 'opaque' ? 'opaque' : 'not a JWT'} · ${token.length.toLocaleString()} characters`,
      ),
    ),
    h('p', { class: 'verdict-message' }, token.verdict.message),
  );

  const raw = h('code', { class: 'raw-token masked', 'aria-label': `${token.title}, hidden` }, token.masked);
  const reveal = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Reveal');
  reveal.addEventListener('click', () => void toggleReveal(token, host, raw, reveal));
  const copyToken = h('button', { type: 'button', class: 'secondary' }, 'Copy token');
  copyToken.addEventListener('click', () => host.post({ type: 'copy', tokenId: token.tokenId, what: 'token' }));
  const buttons: HTMLElement[] = [reveal, copyToken];
  if (token.payload !== undefined || token.introspection !== undefined) {
    const copyPayload = h(
      'button',
      { type: 'button', class: 'secondary' },
      token.payload !== undefined ? 'Copy payload' : 'Copy introspection',
    );
    copyPayload.addEventListener('click', () => host.post({ type: 'copy', tokenId: token.tokenId, what: 'payload' }));
    buttons.push(copyPayload);
  }
  append(card, h('div', { class: 'raw-row' }, raw, h('div', { class: 'buttons' }, ...buttons)));
  if (token.actions && token.actions.length > 0) {
    const status = h('p', { class: 'action-status', role: 'status' });
    const actionButtons = token.actions.map((action) => {
      const button = h('button', { type: 'button', class: 'secondary', 'data-action': action }, ACTION_LABELS[action]);
      button.addEventListener('click', () => void runAction(token, action, host, card, status, button));
      return button;
    });
    append(
      card,
      h('div', { class: 'buttons token-actions', role: 'group', 'aria-label': `${token.title} actions` }, ...actionButtons),
      status,
    );
  }

  if (token.facts.length > 0) {
    const dl = h('dl', { class: 'facts' });
    for (const fact of token.facts) append(dl, h('dt', {}, fact.label), h('dd', {}, fact.value));
    append(card, dl);
  }
  if (token.times.length > 0) {
    const table = h(
      'table',
      { class: 'times' },
      h('caption', { class: 'visually-hidden' }, `${token.title} times`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Claim'),
          h('th', { scope: 'col' }, 'UTC'),
          h('th', { scope: 'col' }, 'Local'),
          h('th', { scope: 'col' }, 'Relative'),
        ),
      ),
    );
    const body = h('tbody');
    for (const time of token.times) {
      append(
        body,
        h(
          'tr',
          { class: time.claim === 'exp' && !time.inFuture ? 'past-exp' : undefined },
          h('th', { scope: 'row' }, `${TIME_LABELS[time.claim] ?? time.claim} (${time.claim})`),
          h('td', {}, time.iso),
          h('td', {}, time.local),
          h('td', {}, time.relative),
        ),
      );
    }
    append(table, body);
    append(card, table);
  }
  for (const problem of token.timeProblems) append(card, h('p', { class: 'warning' }, problem));
  if (token.note !== undefined && token.note !== token.verdict.message) append(card, h('p', { class: 'note' }, token.note));
  if (token.header !== undefined)
    append(card, h('h3', {}, 'Header'), h('pre', { class: 'json', tabindex: 0 }, h('code', {}, token.header)));
  if (token.payload !== undefined) append(card, h('h3', {}, 'Payload'), renderPayload(token.payload, token.highlight));
  if (token.introspection !== undefined)
    append(card, h('h3', {}, 'Introspection'), h('pre', { class: 'json', tabindex: 0 }, h('code', {}, token.introspection)));
  return card;
}

/**
 * Runs a token action on the host: the outcome sentence goes in the card's status line, redrawn cards
 * replace theirs, new tokens (a refresh) are added after the last card, userinfo is shown in the card.
 */
async function runAction(
  token: TokenView,
  action: NonNullable<TokenView['actions']>[number],
  host: HostConnection,
  card: HTMLElement,
  status: HTMLElement,
  button: HTMLButtonElement,
): Promise<void> {
  button.disabled = true;
  status.textContent = `${ACTION_LABELS[action]}…`;
  const reply = await host.request({ type: 'tokenAction', tokenId: token.tokenId, action });
  button.disabled = false;
  showActionReply(token.tokenId, reply, host, card, status, 'Refreshed tokens');
}

/**
 * The tokens the host refreshed on its own before the access token expired (`autoRefreshed`): shown as a
 * Refresh button's answer on the refresh token's card, if it is still drawn.
 */
export function showAutoRefresh(tokenId: string, reply: Reply, host: HostConnection): void {
  const card = document.querySelector<HTMLElement>(`[data-token-id="${CSS.escape(tokenId)}"]`);
  const status = card?.querySelector<HTMLElement>('.action-status');
  if (!card || !status) return;
  showActionReply(tokenId, reply, host, card, status, 'Refreshed before the access token expired');
}

function showActionReply(
  tokenId: string,
  reply: Reply,
  host: HostConnection,
  card: HTMLElement,
  status: HTMLElement,
  addedHeading: string,
): void {
  if (reply.kind !== 'tokenActionDone') {
    status.textContent = reply.kind === 'failed' ? reply.message : 'The action failed.';
    status.classList.add('warning');
    return;
  }
  status.classList.remove('warning');
  const parent = card.parentElement;
  if (reply.json) {
    card.querySelector('.action-json')?.remove();
    append(
      card,
      h(
        'section',
        { class: 'action-json' },
        h('h3', {}, reply.json.title),
        h('pre', { class: 'json', tabindex: 0 }, h('code', {}, reply.json.text)),
      ),
    );
  }
  for (const view of reply.replaced) {
    const old = parent?.querySelector(`[data-token-id="${CSS.escape(view.tokenId)}"]`);
    const fresh = renderTokenCard(view, host);
    if (view.tokenId === tokenId) append(fresh, h('p', { class: 'action-status', role: 'status' }, reply.message));
    old?.replaceWith(fresh);
  }
  if (!reply.replaced.some((v) => v.tokenId === tokenId)) status.textContent = reply.message;
  if (parent && reply.added.length > 0) {
    append(parent, h('h2', { class: 'added-heading' }, addedHeading), ...reply.added.map((view) => renderTokenCard(view, host)));
  }
  if (parent && reply.dropped) {
    for (const id of reply.dropped.tokenIds) parent.querySelector(`[data-token-id="${CSS.escape(id)}"]`)?.remove();
    // A heading left without cards after it goes too; the note (one, updated) says what was dropped.
    for (const heading of [...parent.querySelectorAll('h2.added-heading')]) {
      if (!heading.nextElementSibling || heading.nextElementSibling.tagName === 'H2') heading.remove();
    }
    let note = parent.querySelector<HTMLElement>('p.dropped-note');
    if (!note) {
      note = h('p', { class: 'dropped-note muted', role: 'status' });
      parent.querySelector('[data-token-id]')?.before(note);
    }
    note.textContent = reply.dropped.note;
  }
}

async function toggleReveal(token: TokenView, host: HostConnection, raw: HTMLElement, button: HTMLButtonElement): Promise<void> {
  if (button.getAttribute('aria-pressed') === 'true') {
    raw.textContent = token.masked;
    raw.classList.add('masked');
    raw.setAttribute('aria-label', `${token.title}, hidden`);
    button.textContent = 'Reveal';
    button.setAttribute('aria-pressed', 'false');
    return;
  }
  button.disabled = true;
  const reply = await host.request({ type: 'reveal', tokenId: token.tokenId });
  button.disabled = false;
  if (reply.kind !== 'revealed') {
    raw.textContent = reply.kind === 'failed' ? reply.message : 'Could not reveal the token.';
    return;
  }
  raw.textContent = reply.token;
  raw.classList.remove('masked');
  raw.setAttribute('aria-label', token.title);
  button.textContent = 'Hide';
  button.setAttribute('aria-pressed', 'true');
}

/**
 * The payload as formatted JSON, each top-level claim on its own lines; the claims in `highlight` (the
 * custom claims) are marked.
 */
function renderPayload(payloadJson: string, highlight: readonly string[]): HTMLElement {
  const pre = h('pre', { class: 'json payload', tabindex: 0 });
  const code = h('code');
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    payload = undefined;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || highlight.length === 0) {
    append(code, payloadJson);
    append(pre, code);
    return pre;
  }
  const wanted = new Set(highlight);
  const entries = Object.entries(payload as Record<string, unknown>);
  append(code, '{\n');
  entries.forEach(([key, value], index) => {
    const valueText = renderJson(value).text.replace(/\n/g, '\n  ');
    const line = `  ${JSON.stringify(key)}: ${valueText}${index < entries.length - 1 ? ',' : ''}\n`;
    append(code, wanted.has(key) ? h('mark', { class: 'custom-claim', title: 'custom claim' }, line) : line);
  });
  append(code, '}');
  append(pre, code);
  return pre;
}
