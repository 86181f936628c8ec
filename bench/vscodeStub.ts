/**
 * A minimal `vscode` module for running the extension's code outside an extension host, for the
 * benchmarks only: activation (load + `activate()`) and building tree items. It implements what
 * `activate()` and the tree nodes touch, as cheaply as VS Code's own implementations (plain objects,
 * no UI), and has every other top-level name of the API as a placeholder that throws when used.
 */
import Module from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;

class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    this.callOnDispose();
  }
}

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener<T> = thisArg === undefined ? listener : listener.bind(thisArg);
    this.listeners.push(bound);
    const d = new Disposable(() => {
      this.listeners = this.listeners.filter((l) => l !== bound);
    });
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static file(fsPath: string): Uri {
    return new Uri('file', '', fsPath.split(path.sep).join('/'), '', '');
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(
      u.protocol.replace(/:$/, ''),
      u.host,
      decodeURIComponent(u.pathname),
      u.search.replace(/^\?/, ''),
      u.hash.replace(/^#/, ''),
    );
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '', c.query ?? '', c.fragment ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, base.authority, path.posix.join(base.path, ...segments), base.query, base.fragment);
  }
  get fsPath(): string {
    return this.path.split('/').join(path.sep);
  }
  with(change: Partial<Pick<Uri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    return `${this.scheme}://${this.authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
}

enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

class TreeItem {
  label?: unknown;
  id?: string;
  description?: string | boolean;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  resourceUri?: Uri;
  accessibilityInformation?: unknown;
  constructor(
    labelOrUri: unknown,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {
    if (labelOrUri instanceof Uri) this.resourceUri = labelOrUri;
    else this.label = labelOrUri;
  }
}

class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

class ThemeColor {
  constructor(readonly id: string) {}
}

/** Like VS Code's: `appendMarkdown` concatenates, `appendText` escapes. */
class MarkdownString {
  isTrusted?: boolean;
  supportHtml?: boolean;
  constructor(
    public value = '',
    public supportThemeIcons = false,
  ) {}
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendText(value: string): this {
    this.value += value.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}

class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    this.start = typeof a === 'number' ? new Position(a, b as number) : a;
    this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
  }
}

class Hover {
  constructor(
    readonly contents: unknown,
    readonly range?: Range,
  ) {}
}

class CancellationTokenSource {
  private readonly emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

const noop = () => new Disposable(() => undefined);

function logOutputChannel(name: string) {
  const lines: string[] = [];
  const log = (level: string) => (message: string) => {
    lines.push(`[${level}] ${message}`);
  };
  const level = new EventEmitter<number>();
  return {
    name,
    logLevel: 3,
    onDidChangeLogLevel: level.event,
    lines,
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: (e: string | Error) => lines.push(`[error] ${String(e)}`),
    append: (v: string) => lines.push(v),
    appendLine: (v: string) => lines.push(v),
    replace: (v: string) => lines.splice(0, lines.length, v),
    clear: () => lines.splice(0),
    show: () => undefined,
    hide: () => undefined,
    dispose: () => level.dispose(),
  };
}

function treeView(id: string) {
  const selection = new EventEmitter<unknown>();
  const visibility = new EventEmitter<unknown>();
  const expand = new EventEmitter<unknown>();
  return {
    id,
    selection: [] as unknown[],
    visible: true,
    message: undefined as string | undefined,
    title: undefined as string | undefined,
    description: undefined as string | undefined,
    badge: undefined as unknown,
    onDidChangeSelection: selection.event,
    onDidChangeVisibility: visibility.event,
    onDidExpandElement: expand.event,
    onDidCollapseElement: expand.event,
    onDidChangeCheckboxState: expand.event,
    reveal: () => Promise.resolve(),
    dispose: () => undefined,
  };
}

const commandRegistry = new Map<string, (...args: unknown[]) => unknown>();
const contextKeys = new Map<string, unknown>();
const configuration = new Map<string, unknown>();
const configurationChanged = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
const documentClosed = new EventEmitter<unknown>();
const editorChanged = new EventEmitter<unknown>();

/** The `vscode` module object the extension sees. */
export const vscodeStub = {
  version: '1.138.0',
  Disposable,
  EventEmitter,
  Uri,
  TreeItem,
  TreeItemCollapsibleState,
  ThemeIcon,
  ThemeColor,
  MarkdownString,
  Position,
  Range,
  Hover,
  CancellationTokenSource,
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  InputBoxValidationSeverity: { Info: 1, Warning: 2, Error: 3 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  QuickInputButtons: { Back: { iconPath: new ThemeIcon('arrow-left') } },
  commands: {
    registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => {
      if (commandRegistry.has(id)) throw new Error(`command '${id}' already exists`);
      commandRegistry.set(id, handler);
      return new Disposable(() => commandRegistry.delete(id));
    },
    executeCommand: (id: string, ...args: unknown[]): Promise<unknown> => {
      if (id === 'setContext') {
        contextKeys.set(String(args[0]), args[1]);
        return Promise.resolve(undefined);
      }
      const handler = commandRegistry.get(id);
      return handler ? Promise.resolve(handler(...args)) : Promise.reject(new Error(`command '${id}' not found`));
    },
    getCommands: () => Promise.resolve([...commandRegistry.keys()]),
  },
  window: {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    onDidChangeActiveTextEditor: editorChanged.event,
    onDidChangeTextEditorSelection: editorChanged.event,
    createOutputChannel: (name: string) => logOutputChannel(name),
    createTreeView: (id: string) => treeView(id),
    registerTreeDataProvider: noop,
    registerWebviewPanelSerializer: noop,
    registerUriHandler: noop,
    setStatusBarMessage: noop,
    showInformationMessage: () => Promise.resolve(undefined),
    showWarningMessage: () => Promise.resolve(undefined),
    showErrorMessage: () => Promise.resolve(undefined),
    registerTerminalLinkProvider: noop,
  },
  debug: {
    activeDebugSession: undefined,
    activeStackItem: undefined,
    onDidStartDebugSession: documentClosed.event,
    onDidTerminateDebugSession: documentClosed.event,
    registerDebugAdapterTrackerFactory: noop,
  },
  workspace: {
    getConfiguration: (section?: string) => ({
      get: <T>(key: string, fallback?: T): T | undefined => {
        const full = section ? `${section}.${key}` : key;
        return configuration.has(full) ? (configuration.get(full) as T) : fallback;
      },
      has: (key: string) => configuration.has(section ? `${section}.${key}` : key),
      inspect: () => undefined,
      update: (key: string, value: unknown) => {
        configuration.set(section ? `${section}.${key}` : key, value);
        return Promise.resolve();
      },
    }),
    onDidChangeConfiguration: configurationChanged.event,
    onDidCloseTextDocument: documentClosed.event,
    onDidOpenTextDocument: documentClosed.event,
    onDidChangeTextDocument: documentClosed.event,
    registerTextDocumentContentProvider: noop,
    registerFileSystemProvider: noop,
    textDocuments: [],
    workspaceFolders: undefined,
  },
  languages: {
    registerHoverProvider: noop,
    registerCodeLensProvider: noop,
  },
  lm: {
    registerTool: noop,
  },
  env: {
    appName: 'benchmark',
    language: 'en',
    machineId: 'benchmark',
    clipboard: { readText: () => Promise.resolve(''), writeText: () => Promise.resolve() },
    openExternal: () => Promise.resolve(true),
  },
};

class Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
  setKeysForSync(): void {}
}

class SecretStorage {
  private readonly values = new Map<string, string>();
  private readonly changed = new EventEmitter<{ key: string }>();
  readonly onDidChange = this.changed.event;
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }
  keys(): Promise<string[]> {
    return Promise.resolve([...this.values.keys()]);
  }
  store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
    this.changed.fire({ key });
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.values.delete(key);
    this.changed.fire({ key });
    return Promise.resolve();
  }
}

/** An `ExtensionContext` for the extension at `extensionPath` (its package.json is read). */
export function extensionContext(extensionPath: string, packageJSON: unknown) {
  const extensionUri = Uri.file(extensionPath);
  const storage = Uri.file(path.join(extensionPath, 'out', 'bench', 'storage'));
  return {
    subscriptions: [] as { dispose(): unknown }[],
    globalState: new Memento(),
    workspaceState: new Memento(),
    secrets: new SecretStorage(),
    extensionUri,
    extensionPath,
    globalStorageUri: storage,
    storageUri: undefined,
    logUri: storage,
    extensionMode: 1,
    extension: { id: 'slashid.slashid-oauth2', extensionUri, extensionPath, packageJSON, isActive: true },
    asAbsolutePath: (relative: string) => path.join(extensionPath, relative),
  };
}

const STUB_ID = '\0vscode-benchmark-stub';
let installed = false;

/**
 * The names of the real `vscode` module's members (~200: classes, enums, namespaces), read from
 * @types/vscode. Cached in out/bench/ so that a benchmark process does not spend, inside the time it
 * counts as the host's start-up, the few milliseconds of reading the 700 KB declaration file.
 */
export function vscodeApiNames(): { name: string; kind: string }[] {
  const typesFile = require.resolve('@types/vscode/index.d.ts');
  const cacheFile = path.join(__dirname, 'vscode-api-names.json');
  try {
    if (fs.statSync(cacheFile).mtimeMs >= fs.statSync(typesFile).mtimeMs) {
      return JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { name: string; kind: string }[];
    }
  } catch {
    // no cache yet
  }
  const declarations = fs.readFileSync(typesFile, 'utf8').matchAll(/^\texport (class|enum|namespace|const|function) ([A-Za-z_]\w*)/gm);
  const names = [...declarations].map(([, kind, name]) => ({ name, kind }));
  fs.writeFileSync(cacheFile, JSON.stringify(names));
  return names;
}

/**
 * The real `vscode` module has all those members, and loading code pays per member (e.g. a bundler's
 * ES-module interop may copy them all for each importing module), so the stub has them all: the members
 * above, and for every other name a placeholder that throws when used.
 */
function addEveryApiName(api: Record<string, unknown>): void {
  for (const { name, kind } of vscodeApiNames()) {
    if (name in api) continue;
    const missing = () => {
      throw new Error(`the benchmark's vscode stub does not implement vscode.${name}`);
    };
    api[name] = kind === 'class' || kind === 'function' ? missing : Object.freeze({});
  }
}

/** Makes `require('vscode')` return {@link vscodeStub} in this process. */
export function installVscodeStub(): void {
  if (installed) return;
  installed = true;
  addEveryApiName(vscodeStub);
  const internals = Module as unknown as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const resolve = internals._resolveFilename;
  internals._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? STUB_ID : resolve.call(this, request, ...rest);
  };
  const stubModule = new Module(STUB_ID);
  stubModule.exports = vscodeStub;
  stubModule.loaded = true;
  internals._cache[STUB_ID] = stubModule;
}
