import * as vscode from 'vscode';
import { DEFAULT_MAX_LINE_LENGTH, mayContinueToken, mayHoldToken } from '../tokens/mayHoldToken';
import { CHAT_TOOL_NAMES } from '../chat/toolNames';
import { MINTER_VIEW_TYPE } from '../tokenPanels/viewType';
import { CLIENTS_VIEW_ID, HOSTED_UI_SCHEME, READ_ONLY_SCHEME } from './contributions';
import { DebugSessionTracker } from './debugSessionTracker';
import { TerminalTokenHistory } from './terminalTokenHistory';

/**
 * What the features bundle registers through, instead of `vscode.*.register*`: at activation the shell
 * has already registered, for everything VS Code may call before any command runs (commands, the
 * clients view, hovers, terminal links, documents of our schemes, the minter's serializer, the chat
 * tools), a stand-in that loads the features bundle on first real use and hands the call on.
 */
export interface ShellRegistrar {
  /** A command handler: behind the shell's stand-in for a contributed command, registered directly otherwise. */
  registerCommand(id: string, handler: (...args: unknown[]) => Promise<unknown>): vscode.Disposable;
  /** The clients view (created at activation) now shows `provider`'s tree. */
  clientsView<T>(provider: vscode.TreeDataProvider<T>): void;
  tokenHover(provider: vscode.HoverProvider): void;
  introspectionHover(provider: vscode.HoverProvider): void;
  terminalLinks(provider: vscode.TerminalLinkProvider): void;
  hostedUiFileSystem(provider: vscode.FileSystemProvider): void;
  readOnlyDocuments(provider: vscode.TextDocumentContentProvider): void;
  minterSerializer(serializer: vscode.WebviewPanelSerializer): void;
  chatTool(name: string, tool: vscode.LanguageModelTool<unknown>): void;
  /** The extension's URI handler (`<uriScheme>://<publisher>.<name>/…`, VS Code's own redirect of the code flow). */
  uriHandler(handler: vscode.UriHandler): void;
  /** The debug sessions of this window, tracked since activation. */
  readonly debugSessions: DebugSessionTracker;
  /** The tokens printed in each terminal (through shell integration), recorded since activation. */
  readonly terminalTokens: TerminalTokenHistory;
}

/** What the features bundle gives back once started. */
export interface StartedFeatures {
  /** The services, for the extension-host tests only (test hooks); undefined otherwise. */
  readonly testServices: unknown;
}

/**
 * The extension as VS Code sees it at activation: stand-ins registered under every name the features
 * use, a handful of objects, no feature code. `features()` loads and starts the features bundle (once,
 * synchronously) on the first call that needs it: a command, the clients view becoming visible, a hover
 * over a line that may hold a token, a terminal line that may, a document of our schemes, a chat tool.
 */
export class ExtensionShell implements ShellRegistrar, vscode.Disposable {
  readonly debugSessions = new DebugSessionTracker();
  readonly terminalTokens = new TerminalTokenHistory();
  private readonly subscriptions: vscode.Disposable[] = [this.debugSessions, this.terminalTokens];
  private readonly contributedCommands: ReadonlySet<string>;
  private readonly commandHandlers = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  private started: StartedFeatures | undefined;
  private starting = false;
  private failureShown = false;

  private readonly treeChanged = new vscode.EventEmitter<unknown>();
  private tree: vscode.TreeDataProvider<unknown> | undefined;
  private tokenHoverProvider: vscode.HoverProvider | undefined;
  private introspectionHoverProvider: vscode.HoverProvider | undefined;
  private terminalLinkProvider: vscode.TerminalLinkProvider | undefined;
  private hostedUi: vscode.FileSystemProvider | undefined;
  private readonly hostedUiChanged = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readOnly: vscode.TextDocumentContentProvider | undefined;
  private readonly readOnlyChanged = new vscode.EventEmitter<vscode.Uri>();
  private minter: vscode.WebviewPanelSerializer | undefined;
  private readonly tools = new Map<string, vscode.LanguageModelTool<unknown>>();
  private uris: vscode.UriHandler | undefined;

  constructor(
    context: vscode.ExtensionContext,
    private readonly startFeatures: (shell: ShellRegistrar) => StartedFeatures,
  ) {
    const packageJSON = context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
    this.contributedCommands = new Set((packageJSON.contributes?.commands ?? []).map((c) => c.command));
    for (const id of this.contributedCommands) {
      this.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => this.runCommand(id, args)));
    }

    const view = vscode.window.createTreeView<unknown>(CLIENTS_VIEW_ID, {
      treeDataProvider: {
        onDidChangeTreeData: this.treeChanged.event,
        getTreeItem: (node) => this.loaded(() => this.tree).getTreeItem(node),
        getChildren: (node) => this.loaded(() => this.tree).getChildren(node),
        getParent: (node) => this.loaded(() => this.tree).getParent?.(node),
        resolveTreeItem: (item, node, token) => {
          const tree = this.loaded(() => this.tree);
          return tree.resolveTreeItem ? tree.resolveTreeItem(item, node, token) : item;
        },
      },
      showCollapseAll: true,
    });
    this.subscriptions.push(view, this.treeChanged, this.hostedUiChanged, this.readOnlyChanged);

    // The hover works in every language and scheme (files, untitled editors, output channels, debug
    // sources, notebooks, diff views, other extensions' virtual documents): a line without `eyJ` or `sid_`
    // costs two indexOf scans, so there is no reason to leave any editor out.
    this.subscriptions.push(
      vscode.languages.registerHoverProvider([{ scheme: '*' }], {
        provideHover: (document, position, token) => {
          if (!this.started && !mayNeedTokenHover(document, position)) return undefined;
          return this.loaded(() => this.tokenHoverProvider).provideHover(document, position, token);
        },
      }),
      vscode.languages.registerHoverProvider([{ scheme: '*' }], {
        provideHover: (document, position, token) => {
          if (!this.started && (position.line >= document.lineCount || !document.lineAt(position.line).text.includes('sid_'))) {
            return undefined;
          }
          return this.loaded(() => this.introspectionHoverProvider).provideHover(document, position, token);
        },
      }),
      vscode.window.registerTerminalLinkProvider({
        provideTerminalLinks: (context, token) => {
          if (!this.started && !mayHoldToken(context.line)) return [];
          return this.loaded(() => this.terminalLinkProvider).provideTerminalLinks(context, token);
        },
        handleTerminalLink: (link: vscode.TerminalLink) => this.loaded(() => this.terminalLinkProvider).handleTerminalLink(link),
      }),
      vscode.workspace.registerFileSystemProvider(HOSTED_UI_SCHEME, this.lazyFileSystem(), { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, {
        onDidChange: this.readOnlyChanged.event,
        provideTextDocumentContent: (uri, token) => this.loaded(() => this.readOnly).provideTextDocumentContent(uri, token),
      }),
      vscode.window.registerWebviewPanelSerializer(MINTER_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.loaded(() => this.minter).deserializeWebviewPanel(panel, state),
      }),
      // Only the answer to a waiting sign-in is taken, and none waits before the features started: a URI
      // that comes earlier (any web page or extension can send one) is dropped without loading them.
      vscode.window.registerUriHandler({
        handleUri: (uri) => (this.started ? this.uris?.handleUri(uri) : undefined),
      }),
    );
    for (const name of CHAT_TOOL_NAMES) {
      this.subscriptions.push(
        vscode.lm.registerTool(name, {
          prepareInvocation: (options, token) => this.loaded(() => this.tools.get(name)).prepareInvocation?.(options, token),
          invoke: (options, token) => this.loaded(() => this.tools.get(name)).invoke(options, token),
        }),
      );
    }
  }

  /** Loads and starts the features bundle, once. A failure is shown (the first time), and the next call tries again. */
  features(): StartedFeatures {
    if (this.started) return this.started;
    if (this.starting) throw new Error('the features bundle asked for itself while starting');
    this.starting = true;
    try {
      this.started = this.startFeatures(this);
      return this.started;
    } catch (err) {
      // A broken install (dist/features.js missing or unreadable): no server text, no secret is in it.
      const message = `SlashID OAuth2 failed to start: ${(err instanceof Error ? err.message : String(err)).slice(0, 300)}`;
      // Not once per hover or per terminal line: the message stays in the notification center.
      if (!this.failureShown) void vscode.window.showErrorMessage(message);
      this.failureShown = true;
      throw new Error(message, { cause: err });
    } finally {
      this.starting = false;
    }
  }

  registerCommand(id: string, handler: (...args: unknown[]) => Promise<unknown>): vscode.Disposable {
    if (!this.contributedCommands.has(id)) return vscode.commands.registerCommand(id, handler);
    this.commandHandlers.set(id, handler);
    return new vscode.Disposable(() => this.commandHandlers.delete(id));
  }

  clientsView<T>(provider: vscode.TreeDataProvider<T>): void {
    this.tree = provider;
    if (provider.onDidChangeTreeData) {
      this.subscriptions.push(provider.onDidChangeTreeData((node) => this.treeChanged.fire(node)));
    }
  }

  tokenHover(provider: vscode.HoverProvider): void {
    this.tokenHoverProvider = provider;
  }

  introspectionHover(provider: vscode.HoverProvider): void {
    this.introspectionHoverProvider = provider;
  }

  terminalLinks(provider: vscode.TerminalLinkProvider): void {
    this.terminalLinkProvider = provider;
  }

  hostedUiFileSystem(provider: vscode.FileSystemProvider): void {
    this.hostedUi = provider;
    this.subscriptions.push(provider.onDidChangeFile((events) => this.hostedUiChanged.fire(events)));
  }

  readOnlyDocuments(provider: vscode.TextDocumentContentProvider): void {
    this.readOnly = provider;
    if (provider.onDidChange) this.subscriptions.push(provider.onDidChange((uri) => this.readOnlyChanged.fire(uri)));
  }

  minterSerializer(serializer: vscode.WebviewPanelSerializer): void {
    this.minter = serializer;
  }

  chatTool(name: string, tool: vscode.LanguageModelTool<unknown>): void {
    this.tools.set(name, tool);
  }

  uriHandler(handler: vscode.UriHandler): void {
    this.uris = handler;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0).reverse()) s.dispose();
  }

  private runCommand(id: string, args: unknown[]): Promise<unknown> {
    let handler: ((...args: unknown[]) => Promise<unknown>) | undefined;
    try {
      this.features();
      handler = this.commandHandlers.get(id);
    } catch {
      return Promise.resolve(undefined); // the failure to start was shown
    }
    if (!handler) throw new Error(`SlashID OAuth2 has no handler for ${id}`);
    return handler(...args);
  }

  /** The features' implementation of a stand-in, after loading them. */
  private loaded<T>(implementation: () => T | undefined): T {
    this.features();
    const value = implementation();
    if (value === undefined) throw new Error('SlashID OAuth2 started without this part');
    return value;
  }

  private lazyFileSystem(): vscode.FileSystemProvider {
    const fs = () => this.loaded(() => this.hostedUi);
    return {
      onDidChangeFile: this.hostedUiChanged.event,
      watch: (uri, options) => fs().watch(uri, options),
      stat: (uri) => fs().stat(uri),
      readDirectory: (uri) => fs().readDirectory(uri),
      createDirectory: (uri) => fs().createDirectory(uri),
      readFile: (uri) => fs().readFile(uri),
      writeFile: (uri, content, options) => fs().writeFile(uri, content, options),
      delete: (uri, options) => fs().delete(uri, options),
      rename: (oldUri, newUri, options) => fs().rename(oldUri, newUri, options),
    };
  }
}

/** Whether a hover at `position` may concern a token: the line holds one, or may continue one wrapped from the line before. */
function mayNeedTokenHover(document: vscode.TextDocument, position: vscode.Position): boolean {
  if (position.line >= document.lineCount) return false;
  const line = document.lineAt(position.line).text;
  if (line.length > DEFAULT_MAX_LINE_LENGTH) return false;
  if (mayHoldToken(line)) return true;
  // The rest of a JWT wrapped from the line before: the pointer on the line's first run of token
  // characters, and a token on the line before (read only then).
  return position.line > 0 && mayContinueToken(line, position.character) && mayHoldToken(document.lineAt(position.line - 1).text);
}
