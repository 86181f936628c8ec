import * as vscode from 'vscode';
import type { Services } from '../services';
import { Disposable } from '../common/lifecycle';
import { UserFacingError, describeFailure } from '../common/failures';
import type { OrgTarget } from '../orgs/orgTarget';
import type { OAuthClientUIConfiguration } from '../slashid/schemas';
import { RequestValidationError, SlashIdApiError } from '../slashid/errors';
import { inertLabel, inertText } from '../slashid/untrustedText';
import { HOSTED_UI_SCHEME } from '../shell/contributions';
import { renderJson } from '../tokens/renderJson';
import { lineColumnAt } from '../tokens/textPosition';

/** Levels of the hosted-UI configuration shown for editing: a real one has three or four. */
const HOSTED_UI_MAX_DEPTH = 64;
/** How long the user's save (Ctrl+S) may take to reach `writeFile` (other extensions' save participants run in between). */
const SAVE_INTENT_MS = 60_000;
/** The texts a pending save may write: the document at Ctrl+S and after each change save participants make. */
const SAVE_INTENT_TEXTS_MAX = 20;

/** A document this extension handed out: what Edit Hosted UI Configuration opened, and what it last read or saved. */
interface HandedOut {
  readonly target: OrgTarget;
  readonly clientId: string;
  readonly clientName: string;
  content: Uint8Array;
  mtime: number;
}

/** The user's own save of a document (Ctrl+S, File > Save in its editor), waiting for the `writeFile` it leads to. */
interface SaveIntent {
  readonly at: number;
  readonly texts: string[];
}

/**
 * A client's hosted-UI configuration as a JSON document. It changes the client's real sign-in page, so the
 * document is a door only the user opens and only the user's own save goes through:
 *
 * - Reads: Edit Hosted UI Configuration GETs `…/ui-configuration` and hands out the document's URI; `stat` and
 *   `readFile` answer only URIs handed out this session, from what was read then (or saved since), and never
 *   send a request. Any other URI (built by another extension from public IDs) is FileNotFound.
 * - Writes: `writeFile` PUTs only what the user's own save of the open document writes. VS Code gives
 *   `onWillSaveTextDocument` the save's reason; a Manual save of the document in the active editor of the
 *   focused window records an intent, which the next `writeFile` of that text consumes. Anything else (auto-save,
 *   `workspace.fs.writeFile`, `TextDocument.save()` of a document in the background, Save All's other documents)
 *   is refused and sends nothing.
 * - Auto-save is off for these documents (a language default of their language, `slashid-hosted-ui-json`), so a
 *   pause while typing saves nothing and shows nothing; a user who turns it on again gets the refusal once (VS Code
 *   stops auto-saving a document whose save failed, until the next save).
 * - A sent save says "Saved to SlashID", naming the client. A refused one (not JSON, the schema, a 4xx) says why in
 *   one sentence of ours, and the document keeps the edit and stays dirty: `writeFile` makes a change that leaves the
 *   text as it was, so VS Code does not mark it saved, and nothing goes through VS Code's "Failed to save" wrapper.
 *
 * The JSON schema contributed for `*.hosted-ui.json` checks the known fields while editing; the API core checks them
 * again before the PUT (the whole object: unknown fields are kept as written). Nothing is written to disk.
 *
 * URI: `slashid-hosted-ui:/<connection id>/<org id>/<client id>/<name>.hosted-ui.json`.
 */
export class HostedUiDocuments extends Disposable implements vscode.FileSystemProvider {
  private readonly changed = this._register(new vscode.EventEmitter<vscode.FileChangeEvent[]>());
  readonly onDidChangeFile = this.changed.event;
  private readonly handedOut = new Map<string, HandedOut>();
  private readonly intents = new Map<string, SaveIntent>();
  /** Documents whose refused save just returned: VS Code tells this extension host they were saved (see `refuse`). */
  private readonly refused = new Set<string>();

  constructor(private readonly services: Services) {
    super();
    this._register(vscode.workspace.onWillSaveTextDocument((e) => this.noteSave(e)));
    this._register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const intent = this.intents.get(e.document.uri.toString());
        if (intent && intent.texts.length < SAVE_INTENT_TEXTS_MAX) intent.texts.push(e.document.getText());
      }),
    );
    this._register(
      vscode.workspace.onDidSaveTextDocument((document) => {
        // VS Code reports every save that returned as saved to extension hosts; the workbench still has the document
        // dirty, and says so to extension hosts with its next change: one more change that leaves the text as it is.
        if (!this.refused.delete(document.uri.toString())) return;
        const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
        if (editor) void keepDirty(editor);
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme !== HOSTED_UI_SCHEME) return;
        // A language change closes and reopens the document at once: only a document that stays closed is forgotten.
        const key = document.uri.toString();
        setTimeout(() => {
          if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) {
            this.handedOut.delete(key);
            this.intents.delete(key);
          }
        }, 1_000);
      }),
    );
  }

  static uriFor(target: OrgTarget, clientId: string, clientName: string): vscode.Uri {
    const name =
      clientName
        .replace(/[^\p{L}\p{N} ._-]+/gu, '-')
        .slice(0, 60)
        .trim() || clientId;
    return vscode.Uri.from({
      scheme: HOSTED_UI_SCHEME,
      path: `/${encodeURIComponent(target.connection.id)}/${target.orgId}/${clientId}/${name}.hosted-ui.json`,
    });
  }

  /** Whether `uri` is a document handed out this session (opened by Edit Hosted UI Configuration, not closed since). */
  isHandedOut(uri: vscode.Uri): boolean {
    return this.handedOut.has(uri.toString());
  }

  /**
   * Reads the configuration (GET) and hands out `uri` for it, before its document opens: a failure reaches the
   * command as its own sentence (VS Code would wrap a `readFile` error in "cannot open <uri>").
   */
  async handOut(uri: vscode.Uri, target: OrgTarget, clientId: string, clientName: string): Promise<void> {
    const api = await this.services.orgApis.forTarget(target);
    const configuration = await api.getUiConfiguration(clientId);
    // Never a cut copy: saving one would PUT it back and lose what was cut.
    const rendered = renderJson(configuration, { maxDepth: HOSTED_UI_MAX_DEPTH });
    if (rendered.cut > 0) {
      throw new UserFacingError(
        `The hosted-UI configuration of "${inertLabel(clientName)}" is nested more than ${HOSTED_UI_MAX_DEPTH} levels deep, so it cannot be edited here without losing what lies deeper.`,
      );
    }
    this.handedOut.set(uri.toString(), {
      target,
      clientId,
      clientName,
      content: new TextEncoder().encode(`${rendered.text}\n`),
      mtime: Date.now(),
    });
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const document = this.handedOut.get(uri.toString());
    if (document) return { type: vscode.FileType.File, ctime: 0, mtime: document.mtime, size: document.content.byteLength };
    // The folders of a handed-out document (VS Code may look at them); nothing else exists.
    const folder = uri.path.endsWith('/') ? uri.path : `${uri.path}/`;
    for (const key of this.handedOut.keys()) {
      if (vscode.Uri.parse(key).path.startsWith(folder)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw notHandedOut();
  }

  readFile(uri: vscode.Uri): Uint8Array {
    const document = this.handedOut.get(uri.toString());
    if (!document) throw notHandedOut();
    return document.content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const key = uri.toString();
    const document = this.handedOut.get(key);
    if (!document) throw notHandedOut();
    const name = inertLabel(document.clientName);
    const text = new TextDecoder().decode(content);
    const intent = this.intents.get(key);
    if (!intent || Date.now() - intent.at > SAVE_INTENT_MS || !intent.texts.includes(text)) {
      this.services.log.info('flows', `did not send a save of ${document.clientId}'s hosted-UI configuration that was not the user's own`);
      throw vscode.FileSystemError.NoPermissions(
        `The hosted-UI configuration of "${name}" was not sent to SlashID: it is sent only when you save it yourself in its editor (Ctrl+S).`,
      );
    }
    this.intents.delete(key);

    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return this.refuse(
        uri,
        `The hosted-UI configuration of "${name}" was not saved to SlashID because it is not valid JSON ${jsonSyntaxProblem(text, err)}; correct it and save again.`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return this.refuse(
        uri,
        `The hosted-UI configuration of "${name}" was not saved to SlashID because it must be a JSON object ({ … }); correct it and save again.`,
      );
    }
    try {
      const target = this.connected(document.target);
      const api = await this.services.orgApis.forTarget(target);
      await api.updateUiConfiguration(document.clientId, parsed as OAuthClientUIConfiguration);
    } catch (err) {
      const why = whyRefused(err);
      return this.refuse(
        uri,
        why
          ? `The hosted-UI configuration of "${name}" was not saved to SlashID because ${why}; correct it and save again.`
          : `The hosted-UI configuration of "${name}" was not saved to SlashID: ${describeFailure(err)}`,
      );
    }
    this.services.log.info('flows', `saved the hosted-UI configuration of ${document.clientId}`);
    document.content = content;
    document.mtime = Date.now();
    this.services.model.forgetHostedUi(document.target, document.clientId);
    void this.services.ui.info(`Saved the hosted-UI configuration of "${name}" to SlashID.`);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Hosted-UI configurations are documents of a client; there are no folders.');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('A hosted-UI configuration cannot be deleted; save {} to clear it.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('A hosted-UI configuration cannot be renamed.');
  }

  /** Records the user's own save: Manual, of the document in the active editor of the focused window. */
  private noteSave(e: vscode.TextDocumentWillSaveEvent): void {
    const key = e.document.uri.toString();
    if (e.document.uri.scheme !== HOSTED_UI_SCHEME || !this.handedOut.has(key)) return;
    const own =
      e.reason === vscode.TextDocumentSaveReason.Manual &&
      vscode.window.state.focused &&
      vscode.window.activeTextEditor?.document.uri.toString() === key;
    if (own) this.intents.set(key, { at: Date.now(), texts: [e.document.getText()] });
    else this.intents.delete(key);
  }

  /**
   * A save the user asked for that SlashID (or the checks before it) refused: says why in one sentence, and keeps the
   * document dirty with its edit. Returning normally keeps VS Code's "Failed to save … Unable to write file …" wrapper
   * away; VS Code then marks the document saved unless it changed while being written, so a change that leaves the
   * text as it was (a space added at the end and taken away, in the current undo step) is made first. (Without an
   * editor, e.g. a background document, the refusal is thrown as before.) Tested in the real extension host: a
   * `writeFile` that throws shows VS Code's wrapper, and during auto-save stops further auto-saves of the document.
   */
  private async refuse(uri: vscode.Uri, message: string): Promise<void> {
    this.services.log.warn('flows', message);
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    const kept = editor !== undefined && (await keepDirty(editor));
    if (kept) this.refused.add(uri.toString());
    void this.services.ui.error(message);
    if (!kept) throw vscode.FileSystemError.NoPermissions(message);
  }

  /** The target with its connection read again: a disconnected organization is not written to. */
  private connected(target: OrgTarget): OrgTarget {
    const connection = this.services.connections.get(target.connection.id);
    if (!connection) {
      throw new UserFacingError(`"${inertLabel(target.connection.name)}" is no longer connected; connect it again and save again.`);
    }
    return { connection, orgId: target.orgId };
  }
}

/** Why the checks or SlashID refused a configuration, as the end of a sentence; undefined for other failures. */
function whyRefused(err: unknown): string | undefined {
  if (err instanceof RequestValidationError) {
    return inertText(err.problems.map((p) => `${p.field} ${p.message.replace(/\.$/, '')}`).join('; '), 300);
  }
  if (err instanceof SlashIdApiError && err.status >= 400 && err.status < 500 && err.status !== 401 && err.status !== 403) {
    const said = err.messages.map((m) => m.replace(/\.$/, '')).join('; ');
    return `SlashID refused it (HTTP ${err.status}${said ? `: ${inertText(said, 300)}` : ''})`;
  }
  return undefined;
}

function notHandedOut(): vscode.FileSystemError {
  return vscode.FileSystemError.FileNotFound('Open hosted-UI configurations with "SlashID: Edit Hosted UI Configuration".');
}

/** Changes the document without changing its text (see `refuse`); false when the editor refused the edit (or was closed). */
async function keepDirty(editor: vscode.TextEditor): Promise<boolean> {
  try {
    const end = editor.document.positionAt(editor.document.getText().length);
    const noStops = { undoStopBefore: false, undoStopAfter: false };
    if (!(await editor.edit((b) => b.insert(end, ' '), noStops))) return false;
    return await editor.edit((b) => b.delete(new vscode.Range(end, end.translate(0, 1))), noStops);
  } catch {
    return false;
  }
}

/**
 * Where and why `JSON.parse` refused `text`, as a phrase: "at line 6, column 1 (unexpected non-whitespace
 * character after JSON)", from V8's message ("… at position 101 (line 6 column 1)"), said once.
 */
function jsonSyntaxProblem(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const position = /\bat position (\d+)/.exec(message);
  const reason = inertText(message.replace(/\s*(?:in JSON\s*)?at position \d+.*$/s, ''), 120);
  const what = reason ? `(${reason.charAt(0).toLowerCase()}${reason.slice(1)})` : '';
  if (!position) return what;
  const { line, column } = lineColumnAt(text, Number(position[1]));
  return `at line ${line}, column ${column} ${what}`.trimEnd();
}
