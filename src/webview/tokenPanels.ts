import type { HostMessage } from '../tokenPanels/protocol';
import { HostConnection } from './parts/hostConnection';
import { MintForm } from './parts/mintForm';
import { append, byId, clear, h } from './parts/dom';
import { renderTokenCards, showAutoRefresh } from './parts/tokenCards';

/**
 * The browser script of the token panels: in "minter" mode the mint form and its results; in "viewer"
 * mode (Decode Token, Retrieve OIDC Tokens) the same token cards for tokens the host sends.
 */
const root = byId<HTMLElement>('app');
let form: MintForm | undefined;

const host = new HostConnection((message) => onMessage(message));

function onMessage(message: Exclude<HostMessage, { type: 'reply' }>): void {
  switch (message.type) {
    case 'init':
      clear(root);
      root.setAttribute('aria-busy', 'false');
      if (message.mode === 'minter') {
        form = new MintForm(host, root);
        form.start(message.orgs, host.savedForm(), message.preselect, message.results);
      }
      return;
    case 'orgs':
      form?.setOrgs(message.orgs);
      return;
    case 'preselect':
      form?.preselect(message.orgKey, message.clientId);
      return;
    case 'showTokens':
      clear(root);
      root.setAttribute('aria-busy', 'false');
      append(root, h('h1', {}, message.title));
      if (message.summary) append(root, h('p', { class: 'muted' }, message.summary));
      if (message.tokens.length === 0) append(root, h('p', {}, 'No tokens.'));
      append(root, ...renderTokenCards(message.tokens, host));
      return;
    case 'autoRefreshed':
      showAutoRefresh(message.tokenId, message.reply, host);
      return;
  }
}

host.ready();
