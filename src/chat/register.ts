import * as vscode from 'vscode';
import type { Services } from '../services';
import { CHAT_TOOL_NAMES, type ChatToolName } from './toolNames';

/**
 * SlashID in VS Code's chat: each tool of `CHAT_TOOL_NAMES` registered with `vscode.lm.registerTool`. The tools
 * (their zod schemas, the API core) load on the first call, not at activation. Returns the registered tool
 * objects (the extension-host tests reach `prepareInvocation` through them).
 */
export function registerChat(services: Services): ReadonlyMap<ChatToolName, vscode.LanguageModelTool<unknown>> {
  const registered = new Map<ChatToolName, vscode.LanguageModelTool<unknown>>();
  const loaded = new Map<ChatToolName, Promise<vscode.LanguageModelTool<unknown>>>();
  const load = (name: ChatToolName): Promise<vscode.LanguageModelTool<unknown>> => {
    let tool = loaded.get(name);
    if (!tool) {
      tool = loadTools().then(({ CHAT_TOOLS, languageModelTool }) => languageModelTool(services, CHAT_TOOLS[name]));
      loaded.set(name, tool);
    }
    return tool;
  };
  for (const name of CHAT_TOOL_NAMES) {
    const tool: vscode.LanguageModelTool<unknown> = {
      prepareInvocation: async (options, token) => (await load(name)).prepareInvocation?.(options, token),
      invoke: async (options, token) => (await load(name)).invoke(options, token),
    };
    services.shell.chatTool(name, tool);
    registered.set(name, tool);
  }
  return registered;
}

/**
 * The tools and their adapter (zod schemas built at load) are loaded on the first call: esbuild keeps a
 * dynamically imported module's top-level code until the import runs.
 */
async function loadTools(): Promise<typeof import('./tools.js') & typeof import('./chatTool.js')> {
  const [tools, adapter] = await Promise.all([import('./tools.js'), import('./chatTool.js')]);
  return { ...tools, ...adapter };
}
