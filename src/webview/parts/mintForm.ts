import {
  EMPTY_FORM,
  type ClientOption,
  type FormState,
  type OrgOption,
  type PersonOption,
  type TokenView,
} from '../../tokenPanels/protocol';
import { ClaimsEditor } from './claimsEditor';
import type { HostConnection } from './hostConnection';
import { append, clear, debounce, h } from './dom';
import { renderTokenCards } from './tokenCards';

/** Scopes with a meaning of their own for mint. */
const SPECIAL_SCOPES: readonly { scope: string; hint: string }[] = [
  { scope: 'openid', hint: 'adds an ID token' },
  { scope: 'offline_access', hint: 'adds a refresh token' },
];

const PERSON_SEARCH_DELAY_MS = 250;

/**
 * The minter form: organization, client, person (search or a typed ID), scopes, custom claims, Mint.
 * Its inputs are saved with `setState` on every change (never a token) and restored after a reload.
 *
 * About 400 lines on purpose: the fields depend on each other (an org's clients, a client's scopes, the
 * person search of the org), and each change goes through the one saved `FormState` and the request
 * counters that drop stale answers; the claims editor and the token cards, which stand alone, are parts of
 * their own.
 */
export class MintForm {
  private clients: ClientOption[] = [];
  private form: FormState = { ...EMPTY_FORM };
  private minting = false;
  private clientsRequest = 0;
  private personsRequest = 0;

  private readonly orgSelect = h('select', { id: 'org' });
  private readonly clientSearch = h('input', {
    id: 'client-search',
    type: 'search',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'Search clients by name or ID',
    'aria-label': 'Search clients by name or ID',
    hidden: true,
  });
  private clientSearchTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clientSelect = h('select', { id: 'client', 'aria-describedby': 'client-status' });
  private readonly clientStatus = h('p', { id: 'client-status', class: 'muted', role: 'status' });
  private readonly personInput = h('input', {
    id: 'person',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'email, phone (+country code), person ID or username',
    'aria-describedby': 'person-selected',
  });
  private readonly useTypedId = h('button', { type: 'button', class: 'secondary', id: 'person-use-id' }, 'Use as person ID');
  private readonly personResults = h('select', { id: 'person-results', size: 5 });
  private readonly personSelected = h('p', { id: 'person-selected', role: 'status' });
  private readonly scopeBox = h('div', { class: 'scopes' });
  private readonly extraScopes = h('input', {
    id: 'extra-scopes',
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'space-separated',
  });
  private readonly claims: ClaimsEditor;
  private readonly mintButton = h('button', { type: 'submit', id: 'mint', 'aria-describedby': 'mint-hint' }, 'Mint tokens');
  private readonly mintHint = h('p', { id: 'mint-hint', class: 'muted', role: 'status' });
  private readonly results = h('section', { id: 'results', 'aria-label': 'Minted tokens', 'aria-live': 'polite' });
  private readonly resultStatus = h('p', { id: 'result-status', role: 'alert', class: 'error-text' });

  constructor(
    private readonly host: HostConnection,
    root: HTMLElement,
  ) {
    this.claims = new ClaimsEditor(() => this.changed());
    const form = h(
      'form',
      { id: 'mint-form', novalidate: true, 'aria-label': 'Mint tokens' },
      h('div', { class: 'field' }, h('label', { for: 'org' }, 'Organization'), this.orgSelect),
      h('div', { class: 'field' }, h('label', { for: 'client' }, 'OAuth2 client'), this.clientSearch, this.clientSelect, this.clientStatus),
      h(
        'div',
        { class: 'field person' },
        h('label', { for: 'person' }, 'Person'),
        h('div', { class: 'inline' }, this.personInput, this.useTypedId),
        h('label', { for: 'person-results', class: 'visually-hidden' }, 'Matching persons'),
        this.personResults,
        this.personSelected,
      ),
      h(
        'fieldset',
        { class: 'field' },
        h('legend', {}, 'Scopes'),
        this.scopeBox,
        h('label', { for: 'extra-scopes' }, 'Other scopes'),
        this.extraScopes,
      ),
      this.claims.element,
      h('div', { class: 'actions' }, this.mintButton, this.mintHint),
      this.resultStatus,
    );
    append(root, h('h1', {}, 'Token Minter'), form, this.results);

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.mint();
    });
    this.orgSelect.addEventListener('change', () => {
      this.form = { ...this.form, orgKey: this.orgSelect.value || undefined, clientId: undefined, personId: undefined };
      this.clientSearch.value = '';
      this.clientSearch.hidden = true;
      this.changed();
      void this.loadClients();
      void this.searchPersons();
    });
    // An org may have more clients than one list holds: the search asks the host for the ones that match.
    this.clientSearch.addEventListener('input', () => {
      clearTimeout(this.clientSearchTimer);
      this.clientSearchTimer = setTimeout(() => void this.loadClients(), PERSON_SEARCH_DELAY_MS);
    });
    this.clientSelect.addEventListener('change', () => {
      this.form = { ...this.form, clientId: this.clientSelect.value || undefined };
      // Keep only the toggles the newly chosen client allows (SlashID answers 400 to any other scope).
      const allowed = this.selectedClient()?.scopes;
      if (allowed) this.form = { ...this.form, scopes: this.form.scopes.filter((s) => allowed.includes(s)) };
      this.renderScopes();
      this.changed();
    });
    const search = debounce(() => void this.searchPersons(), PERSON_SEARCH_DELAY_MS);
    this.personInput.addEventListener('input', () => {
      this.form = { ...this.form, personQuery: this.personInput.value.slice(0, 200), personId: undefined };
      this.changed();
      search();
    });
    this.personInput.addEventListener('keydown', (event) => {
      if (event.key === 'ArrowDown' && this.personResults.options.length > 0) {
        event.preventDefault();
        this.personResults.focus();
        if (this.personResults.selectedIndex < 0) this.personResults.selectedIndex = 0;
        this.pickPerson();
      }
    });
    this.personResults.addEventListener('change', () => this.pickPerson());
    this.useTypedId.addEventListener('click', () => {
      const typed = this.personInput.value.trim();
      if (!typed) return;
      this.form = { ...this.form, personId: typed.slice(0, 200) };
      this.changed();
    });
    this.extraScopes.addEventListener('input', () => {
      this.form = { ...this.form, extraScopes: this.extraScopes.value.slice(0, 4_000) };
      this.changed();
    });
  }

  /** First data from the host: the orgs, and either the saved form or the preselection. */
  start(
    orgs: OrgOption[],
    saved: FormState | undefined,
    preselect: { orgKey: string; clientId?: string } | undefined,
    results?: TokenView[],
  ): void {
    if (results && results.length > 0) this.showTokens(results);
    this.form = saved ? { ...saved } : { ...EMPTY_FORM };
    if (preselect) this.form = { ...this.form, orgKey: preselect.orgKey, clientId: preselect.clientId ?? this.form.clientId };
    this.personInput.value = this.form.personQuery ?? '';
    this.extraScopes.value = this.form.extraScopes;
    this.claims.text = this.form.claimsText;
    this.setOrgs(orgs, true);
  }

  /** New list of organizations; clients and persons reload only when the selected org changes (or `reload`). */
  setOrgs(orgs: OrgOption[], reload = false): void {
    const before = this.form.orgKey;
    clear(this.orgSelect);
    if (orgs.length === 0) {
      append(this.orgSelect, h('option', { value: '' }, 'No organization connected: run "SlashID: Connect Organization"'));
    }
    for (const org of orgs) append(this.orgSelect, h('option', { value: org.key, title: org.detail }, org.label));
    const key = orgs.some((o) => o.key === this.form.orgKey) ? this.form.orgKey : orgs[0]?.key;
    this.orgSelect.value = key ?? '';
    this.form = { ...this.form, orgKey: key };
    if (reload || key !== before) {
      void this.loadClients();
      void this.searchPersons();
    }
    this.changed();
  }

  preselect(orgKey: string, clientId: string | undefined): void {
    const sameOrg = this.form.orgKey === orgKey;
    this.form = { ...this.form, orgKey, clientId };
    this.orgSelect.value = orgKey;
    if (sameOrg && this.clients.some((c) => c.clientId === clientId)) {
      this.clientSelect.value = clientId ?? '';
      this.renderScopes();
      this.changed();
      return;
    }
    void this.loadClients();
    void this.searchPersons();
  }

  private async loadClients(): Promise<void> {
    const orgKey = this.form.orgKey;
    const ticket = ++this.clientsRequest;
    this.clients = [];
    clear(this.clientSelect);
    this.renderScopes();
    if (!orgKey) {
      this.clientStatus.textContent = '';
      return;
    }
    this.clientStatus.textContent = 'Loading clients…';
    this.clientSelect.disabled = true;
    const query = this.clientSearch.value.trim();
    const reply = await this.host.request({
      type: 'loadClients',
      orgKey,
      ...(query ? { query } : {}),
      ...(this.form.clientId ? { include: this.form.clientId } : {}),
    });
    if (ticket !== this.clientsRequest) return;
    this.clientSelect.disabled = false;
    if (reply.kind !== 'clients') {
      this.clientStatus.textContent = reply.kind === 'failed' ? reply.message : 'Could not load the clients.';
      this.changed();
      return;
    }
    this.clients = reply.clients;
    append(
      this.clientSelect,
      h(
        'option',
        { value: '' },
        this.clients.length ? 'Choose a client…' : query ? 'No client matches the search' : 'This organization has no OAuth2 client',
      ),
    );
    for (const client of this.clients)
      append(this.clientSelect, h('option', { value: client.clientId }, `${client.name} (${client.clientId})`));
    const clientId = this.clients.some((c) => c.clientId === this.form.clientId)
      ? this.form.clientId
      : this.clients.length === 1
        ? this.clients[0].clientId
        : undefined;
    this.clientSelect.value = clientId ?? '';
    this.form = { ...this.form, clientId };
    const listed = this.clients.length;
    if (reply.matching > listed || query) this.clientSearch.hidden = false;
    this.clientStatus.textContent =
      reply.matching > listed
        ? `The first ${listed.toLocaleString('en-US')} of ${reply.matching.toLocaleString('en-US')} clients${query ? ' that match' : ''}: search to find others.`
        : `${listed}${query ? ' matching' : ''} client${listed === 1 ? '' : 's'}.`;
    this.renderScopes();
    this.changed();
  }

  private async searchPersons(): Promise<void> {
    const orgKey = this.form.orgKey;
    if (!orgKey) return;
    const ticket = ++this.personsRequest;
    const query = this.personInput.value.trim();
    const reply = await this.host.request({ type: 'searchPersons', orgKey, query });
    if (ticket !== this.personsRequest) return;
    clear(this.personResults);
    if (reply.kind !== 'persons') {
      this.personSelected.textContent = reply.kind === 'failed' ? reply.message : 'Could not search persons.';
      return;
    }
    this.renderPersons(reply.persons, reply.more, query);
  }

  private renderPersons(persons: PersonOption[], more: boolean, query: string): void {
    for (const person of persons) {
      append(
        this.personResults,
        h(
          'option',
          { value: person.personId, title: person.personId },
          person.detail ? `${person.label} — ${person.detail}` : person.label,
        ),
      );
    }
    if (persons.length === 0)
      append(
        this.personResults,
        h('option', { value: '', disabled: true }, query ? 'No person matches' : 'No persons in this organization'),
      );
    if (more) append(this.personResults, h('option', { value: '', disabled: true }, 'More persons match: type more to narrow the list'));
    const exact = persons.find((p) => p.personId === query);
    if (exact && this.form.personId === undefined) this.form = { ...this.form, personId: exact.personId };
    if (this.form.personId !== undefined && persons.some((p) => p.personId === this.form.personId))
      this.personResults.value = this.form.personId;
    this.changed();
  }

  private pickPerson(): void {
    const value = this.personResults.value;
    if (!value) return;
    this.form = { ...this.form, personId: value };
    this.changed();
  }

  private selectedClient(): ClientOption | undefined {
    return this.clients.find((c) => c.clientId === this.form.clientId);
  }

  private renderScopes(): void {
    const client = this.selectedClient();
    const scopes: { scope: string; hint?: string }[] = [...SPECIAL_SCOPES];
    for (const scope of client?.scopes ?? []) if (!scopes.some((s) => s.scope === scope)) scopes.push({ scope });
    clear(this.scopeBox);
    scopes.forEach(({ scope, hint }, index) => {
      const id = `scope-${index}`;
      const box = h('input', { type: 'checkbox', id, value: scope, checked: this.form.scopes.includes(scope) });
      box.addEventListener('change', () => {
        const selected = new Set(this.form.scopes);
        if (box.checked) selected.add(scope);
        else selected.delete(scope);
        this.form = { ...this.form, scopes: [...selected].slice(0, 100) };
        this.changed();
      });
      const notOfClient = client !== undefined && !client.scopes.includes(scope);
      append(
        this.scopeBox,
        h(
          'div',
          { class: 'scope' },
          box,
          h(
            'label',
            { for: id },
            h('code', {}, scope),
            hint ? ` — ${hint}` : '',
            notOfClient ? h('span', { class: 'muted' }, ' (not among the client’s scopes)') : '',
          ),
        ),
      );
    });
  }

  /** Every scope to request: the toggles that are on and the free text. */
  private requestedScopes(): string[] {
    const extra = this.form.extraScopes.split(/\s+/).filter((s) => s.length > 0 && s.length <= 200);
    return [...new Set([...this.form.scopes, ...extra])].slice(0, 100);
  }

  private blocker(): string | undefined {
    if (this.minting) return 'Minting…';
    if (!this.form.orgKey) return 'Choose an organization.';
    if (!this.form.clientId) return 'Choose a client.';
    if (!this.form.personId) return 'Choose a person from the list, or type a person ID and choose "Use as person ID".';
    if (!this.claims.isValid)
      return `Fix the ${this.claims.problemCount === 1 ? 'problem' : `${this.claims.problemCount} problems`} in the custom claims.`;
    return undefined;
  }

  private changed(): void {
    this.form = { ...this.form, claimsText: this.claims.text.slice(0, 256 * 1024) };
    const person = this.form.personId;
    this.personSelected.textContent = person ? `Selected person: ${person}` : 'No person selected.';
    const blocker = this.blocker();
    this.mintButton.disabled = blocker !== undefined;
    this.mintHint.textContent = blocker ?? `Mints ${this.describeOutcome()}.`;
    this.host.saveForm(this.form);
  }

  private describeOutcome(): string {
    const scopes = this.requestedScopes();
    const kinds = ['an access token'];
    if (scopes.includes('openid')) kinds.push('an ID token');
    if (scopes.includes('offline_access')) kinds.push('a refresh token');
    return kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
  }

  private async mint(): Promise<void> {
    if (this.blocker() !== undefined) return;
    const { orgKey, clientId, personId } = this.form;
    this.minting = true;
    this.resultStatus.textContent = '';
    this.changed();
    const reply = await this.host.request({
      type: 'mint',
      orgKey: orgKey!,
      clientId: clientId!,
      personId: personId!,
      scopes: this.requestedScopes(),
      claimsText: this.claims.text,
    });
    this.minting = false;
    clear(this.results);
    if (reply.kind === 'minted') {
      this.showTokens(reply.tokens);
    } else if (reply.kind === 'mintRejected') {
      this.claims.showServerProblems(reply.problems);
      this.resultStatus.textContent = reply.message;
    } else if (reply.kind === 'failed') {
      this.resultStatus.textContent = reply.message;
    }
    this.changed();
  }

  private showTokens(tokens: TokenView[]): void {
    append(this.results, h('h2', { class: 'results-title' }, 'Minted tokens'), ...renderTokenCards(tokens, this.host));
  }
}
