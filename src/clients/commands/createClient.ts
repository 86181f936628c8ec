import * as vscode from 'vscode';
import type { Services } from '../../services';
import type { OAuth2Client } from '../../slashid/schemas';
import { createClientIn } from '../../orgs/clientWrites';
import { DEFAULT_ACCESS_TOKEN_DURATION, DEFAULT_REFRESH_TOKEN_DURATION } from '../../slashid/contract';
import { formatDuration } from '../../tokens/times';
import { isInputFlowCancelled, type FlowInput, type InputStep } from '../../ui/multiStepInput';
import { resolveTarget } from '../commandArgs';
import { checkClientField, parseDurationInput, splitList } from '../clientInput';
import { describeTarget } from '../../orgs/orgTarget';

type GrantType = 'client_credentials' | 'authorization_code';

interface CreateState {
  name: string;
  grantTypes: GrantType[];
  scopes: string[];
  isPublic: boolean;
  redirectUris: string[];
  accessTokenDuration: number;
  refreshTokenDuration: number;
}

const TITLE = 'Create OAuth2 Client';

/**
 * "SlashID: Create OAuth2 Client": name → grant types → scopes → public/confidential → redirect URIs
 * (authorization code only) → token lifetimes. The returned secret goes straight to SecretStorage and
 * can be copied once from the confirmation.
 */
export async function createClient(services: Services, node?: unknown): Promise<OAuth2Client | undefined> {
  const target = await resolveTarget(services, node, 'Create the client in which organization?');
  if (!target) {
    return undefined;
  }
  const state: CreateState = {
    name: '',
    grantTypes: ['client_credentials'],
    scopes: [],
    isPublic: false,
    redirectUris: [],
    accessTokenDuration: DEFAULT_ACCESS_TOKEN_DURATION,
    refreshTokenDuration: DEFAULT_REFRESH_TOKEN_DURATION,
  };
  const total = 6;

  const askName: InputStep = async (input) => {
    state.name = (
      await input.showInputBox({
        title: `${TITLE} in ${describeTarget(target)}`,
        step: 1,
        totalSteps: total,
        value: state.name,
        prompt: 'Client name (shown to people in consent screens and logs)',
        placeholder: 'billing-service',
        validate: (v) =>
          v.trim() ? (v.trim().length > 200 ? 'Keep the name under 200 characters.' : undefined) : 'Enter a name for the client.',
      })
    ).trim();
    return askGrants;
  };

  const askGrants: InputStep = async (input) => {
    type Item = vscode.QuickPickItem & { grant: GrantType };
    const items: Item[] = [
      {
        label: 'client_credentials',
        detail: 'Machine-to-machine: the client gets tokens with its own ID and secret.',
        grant: 'client_credentials',
      },
      {
        label: 'authorization_code',
        detail: 'People sign in through a browser and the client receives a code at a redirect URI.',
        grant: 'authorization_code',
      },
    ];
    const picked = await input.showMultiPick<Item>({
      title: TITLE,
      step: 2,
      totalSteps: total,
      placeholder: 'Grant types (SlashID accepts only these two when creating a client)',
      items,
      selected: items.filter((i) => state.grantTypes.includes(i.grant)),
      minimum: 1,
    });
    state.grantTypes = picked.map((p) => p.grant);
    return askScopes;
  };

  const askScopes: InputStep = async (input) => {
    state.scopes = splitList(
      await input.showInputBox({
        title: TITLE,
        step: 3,
        totalSteps: total,
        value: state.scopes.join(' '),
        prompt: 'Scopes the client may request, separated by spaces (may be empty)',
        placeholder: state.grantTypes.includes('authorization_code') ? 'openid offline_access profile' : 'read:invoices write:invoices',
        validate: (v) => checkClientField('scopes', splitList(v)),
      }),
    );
    return askVisibility;
  };

  const askVisibility: InputStep = async (input) => {
    if (state.grantTypes.includes('client_credentials')) {
      // The client-credentials grant needs a secret, so such clients are confidential.
      state.isPublic = false;
      return state.grantTypes.includes('authorization_code') ? askRedirects : askAccessDuration;
    }
    type Item = vscode.QuickPickItem & { isPublic: boolean };
    const items: Item[] = [
      { label: 'Confidential', detail: 'Runs on a server and keeps its secret.', isPublic: false },
      { label: 'Public', detail: 'Runs in a browser or on a device and cannot keep a secret.', isPublic: true },
    ];
    const picked = await input.showQuickPick<Item>({
      title: TITLE,
      step: 4,
      totalSteps: total,
      placeholder: 'Is the client confidential or public?',
      items,
      activeItem: items.find((i) => i.isPublic === state.isPublic),
    });
    state.isPublic = picked.isPublic;
    return askRedirects;
  };

  const askRedirects: InputStep = async (input) => {
    state.redirectUris = splitList(
      await input.showInputBox({
        title: TITLE,
        step: 5,
        totalSteps: total,
        value: state.redirectUris.join(' '),
        prompt: 'Redirect URIs for the authorization code grant, separated by spaces (at least one)',
        placeholder: 'https://app.example.com/callback http://localhost:3000/callback',
        validate: (v) => {
          const uris = splitList(v);
          return uris.length === 0
            ? 'The authorization code grant needs at least one redirect URI.'
            : checkClientField('redirect_uris', uris);
        },
      }),
    );
    return askAccessDuration;
  };

  const askDuration = async (input: FlowInput, kind: 'access' | 'refresh'): Promise<number> => {
    const current = kind === 'access' ? state.accessTokenDuration : state.refreshTokenDuration;
    const fallback = kind === 'access' ? DEFAULT_ACCESS_TOKEN_DURATION : DEFAULT_REFRESH_TOKEN_DURATION;
    const value = await input.showInputBox({
      title: TITLE,
      step: 6,
      totalSteps: total,
      value: String(current),
      prompt: `${kind === 'access' ? 'Access' : 'Refresh'} token lifetime in seconds, or with s/m/h/d (default ${formatDuration(fallback)})`,
      validate: (v) => {
        const r = parseDurationInput(v);
        return 'error' in r ? r.error : undefined;
      },
    });
    return (parseDurationInput(value) as { seconds: number }).seconds;
  };

  const askAccessDuration: InputStep = async (input) => {
    state.accessTokenDuration = await askDuration(input, 'access');
    return state.grantTypes.includes('authorization_code') ? askRefreshDuration : undefined;
  };

  const askRefreshDuration: InputStep = async (input) => {
    state.refreshTokenDuration = await askDuration(input, 'refresh');
  };

  try {
    await services.ui.runFlow(askName);
  } catch (err) {
    if (isInputFlowCancelled(err)) {
      return undefined;
    }
    throw err;
  }

  const { client, secret } = await createClientIn(services, target, {
    client_name: state.name,
    grant_types: state.grantTypes,
    scopes: state.scopes,
    public: state.isPublic,
    ...(state.redirectUris.length ? { redirect_uris: state.redirectUris } : {}),
    access_token_duration: state.accessTokenDuration,
    ...(state.grantTypes.includes('authorization_code') ? { refresh_token_duration: state.refreshTokenDuration } : {}),
  });
  void showCreated(services, client, secret);
  return client;
}

async function showCreated(services: Services, client: OAuth2Client, secret: string | undefined): Promise<void> {
  const actions = secret ? ['Copy Secret Once', 'Copy Client ID'] : ['Copy Client ID'];
  const where = secret ? " Its secret is stored in VS Code's secret storage; you can copy it once now." : '';
  const choice = await services.ui.info(`Created OAuth2 client "${client.client_name}" (${client.client_id}).${where}`, ...actions);
  if (choice === 'Copy Secret Once' && secret) {
    await vscode.env.clipboard.writeText(secret);
    void services.ui.info(`The secret of "${client.client_name}" is on the clipboard.`);
  } else if (choice === 'Copy Client ID') {
    await vscode.env.clipboard.writeText(client.client_id);
  }
}
