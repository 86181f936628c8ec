import * as vscode from 'vscode';
import type { Services } from '../../services';
import { isOrgId } from '../../slashid/contract';
import { describeFailure } from '../../common/failures';
import { isInputFlowCancelled, type InputStep } from '../../ui/multiStepInput';
import type { Environment, OrgConnection } from '../connections';
import { ENVIRONMENTS, checkBaseUrl, normalizeBaseUrl, type EnvironmentChoice } from '../environments';
import { shortId } from '../orgTarget';
import { saveConnection } from '../saveConnection';

const TITLE = 'Connect SlashID Organization';

interface ConnectState {
  environment?: Environment;
  baseUrl?: string;
  orgId?: string;
  apiKey?: string;
  name?: string;
  defaultOrgId?: string;
}

/**
 * "SlashID: Connect Organization": environment → org ID → API key (checked with a real call before
 * anything is saved; a rejected key shows the API's reason and can be retyped) → name.
 * Returns the new connection, or undefined when cancelled.
 */
export async function connectOrganization(services: Services): Promise<OrgConnection | undefined> {
  const state: ConnectState = {};
  const totalSteps = 4;

  const pickEnvironment: InputStep = async (input) => {
    type Item = vscode.QuickPickItem & { choice: EnvironmentChoice };
    const items: Item[] = ENVIRONMENTS.map((choice) => ({ label: choice.label, detail: choice.detail, choice }));
    const picked = await input.showQuickPick<Item>({
      title: TITLE,
      step: 1,
      totalSteps,
      placeholder: 'Which SlashID environment is the organization in?',
      items,
      activeItem: items.find((i) => i.choice.environment === state.environment),
    });
    state.environment = picked.choice.environment;
    if (picked.choice.baseUrl) {
      state.baseUrl = picked.choice.baseUrl;
      return enterOrgId;
    }
    if (picked.choice.environment === 'emulator') {
      const demo = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Starting the local SlashID emulator…' },
        () => services.emulator.ensureStarted(),
      );
      state.baseUrl = demo.url;
      state.defaultOrgId = demo.orgId;
      return enterOrgId;
    }
    return enterCustomUrl;
  };

  const enterCustomUrl: InputStep = async (input) => {
    const value = await input.showInputBox({
      title: TITLE,
      step: 1,
      totalSteps,
      value: state.baseUrl ?? '',
      prompt: 'The SlashID API base URL',
      placeholder: 'https://api.example.com',
      validate: checkBaseUrl,
    });
    state.baseUrl = normalizeBaseUrl(value);
    return enterOrgId;
  };

  const enterOrgId: InputStep = async (input) => {
    const value = await input.showInputBox({
      title: TITLE,
      step: 2,
      totalSteps,
      value: state.orgId ?? state.defaultOrgId ?? '',
      prompt: 'Organization ID (SlashID Console → Settings → Organization)',
      placeholder: 'af5fbd30-7ce7-4548-8b30-4cd59cb2aba1',
      validate: (text) => (isOrgId(text.trim()) ? undefined : 'An organization ID is a UUID such as af5fbd30-7ce7-4548-8b30-4cd59cb2aba1.'),
    });
    state.orgId = value.trim().toLowerCase();
    return enterApiKey;
  };

  const enterApiKey: InputStep = async (input) => {
    const baseUrl = state.baseUrl!;
    const orgId = state.orgId!;
    const key = await input.showInputBox({
      title: TITLE,
      step: 3,
      totalSteps,
      value: '',
      password: true,
      prompt: `API key of ${orgId} — checked against ${baseUrl} before it is saved to VS Code's secret storage`,
      validate: (text) => (text.trim() ? undefined : 'Enter the organization API key.'),
      accept: async (text) => {
        try {
          await (await services.orgApis.forCandidate(baseUrl, orgId, text.trim())).listClients();
          return undefined;
        } catch (err) {
          services.log.warn('orgs', `API key check for ${orgId} failed: ${describeFailure(err)}`);
          return describeFailure(err);
        }
      },
    });
    state.apiKey = key.trim();
    return enterName;
  };

  const enterName: InputStep = async (input) => {
    const env = ENVIRONMENTS.find((e) => e.environment === state.environment)!;
    const value = await input.showInputBox({
      title: TITLE,
      step: 4,
      totalSteps,
      value: state.name ?? `${env.label} ${shortId(state.orgId!)}`,
      prompt: 'A name for this organization in VS Code (only stored locally)',
      validate: (text) => (text.trim() ? undefined : 'Enter a name.'),
    });
    state.name = value.trim();
  };

  try {
    await services.ui.runFlow(pickEnvironment);
  } catch (err) {
    if (isInputFlowCancelled(err)) {
      return undefined;
    }
    throw err;
  }
  return saveConnection(services, {
    environment: state.environment!,
    baseUrl: state.baseUrl!,
    orgId: state.orgId!,
    apiKey: state.apiKey!,
    name: state.name!,
  });
}
