import * as vscode from 'vscode';
import type { Services } from '../services';
import { UserFacingError, describeFailure } from '../common/failures';
import type { OrgTarget } from '../orgs/orgTarget';
import type { OAuthClientUIConfiguration } from '../slashid/schemas';
import { HOSTED_UI_SCHEME } from '../shell/contributions';
import { renderJson } from '../tokens/renderJson';

/** Levels of the hosted-UI configuration shown for editing: a real one has three or four. */
const HOSTED_UI_MAX_DEPTH = 64;

/**
 * A client's hosted-UI configuration as a JSON document: reading it GETs `…/ui-configuration`, saving
 * it PUTs it (the whole object: unknown fields are kept as written). The JSON schema contributed for
 * `*.hosted-ui.json` checks the known fields while editing; the API core checks them again before the
 * PUT, and a refused save says why in one sentence. Nothing is written to disk.
 *
 * URI: `slashid-hosted-ui:/<connection id>/<org id>/<client id>/<name>.hosted-ui.json`.
 */
export class HostedUiDocuments implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly mtimes = new Map<string, number>();
  /** Configurations read by `prefetch` for the `readFile` that opening their document makes next. */
  private readonly prefetched = new Map<string, Uint8Array>();

  constructor(private readonly services: Services) {}

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

  dispose(): void {
    this.changed.dispose();
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    if (!uri.path.endsWith('.hosted-ui.json')) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    this.locate(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: this.mtimes.get(uri.toString()) ?? 0, size: 0 };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const ready = this.prefetched.get(uri.toString());
    if (ready) {
      this.prefetched.delete(uri.toString());
      return ready;
    }
    try {
      return await this.load(uri);
    } catch (err) {
      throw vscode.FileSystemError.Unavailable(describeFailure(err));
    }
  }

  /**
   * Reads the configuration before its document opens, so that a failure reaches the command as its own
   * sentence (VS Code would wrap a `readFile` error in "cannot open <uri>"); the next `readFile` of `uri`
   * gets what was read. `forget` drops it when the document was open already (no `readFile` came).
   */
  async prefetch(uri: vscode.Uri): Promise<void> {
    this.prefetched.set(uri.toString(), await this.load(uri));
  }

  forget(uri: vscode.Uri): void {
    this.prefetched.delete(uri.toString());
  }

  private async load(uri: vscode.Uri): Promise<Uint8Array> {
    const { target, clientId } = this.locate(uri);
    const api = await this.services.orgApis.forTarget(target);
    const configuration = await api.getUiConfiguration(clientId);
    // Never a cut copy: saving one would PUT it back and lose what was cut.
    const rendered = renderJson(configuration, { maxDepth: HOSTED_UI_MAX_DEPTH });
    if (rendered.cut > 0) {
      throw new UserFacingError(
        `This client's hosted-UI configuration is nested more than ${HOSTED_UI_MAX_DEPTH} levels deep, so it cannot be edited here without losing what lies deeper.`,
      );
    }
    return new TextEncoder().encode(`${rendered.text}\n`);
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { target, clientId } = this.locate(uri);
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(content));
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(
        `The hosted-UI configuration was not saved: it is not valid JSON (${err instanceof Error ? err.message : String(err)}); correct it and save again.`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw vscode.FileSystemError.NoPermissions(
        'The hosted-UI configuration was not saved: it must be a JSON object ({ … }); correct it and save again.',
      );
    }
    try {
      const api = await this.services.orgApis.forTarget(target);
      await api.updateUiConfiguration(clientId, parsed as OAuthClientUIConfiguration);
    } catch (err) {
      throw vscode.FileSystemError.NoPermissions(`The hosted-UI configuration was not saved: ${describeFailure(err)}`);
    }
    this.services.log.info('flows', `saved the hosted-UI configuration of ${clientId}`);
    this.mtimes.set(uri.toString(), Date.now());
    this.services.model.forgetHostedUi(target, clientId);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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

  /** The connected org and client a URI names (the connection is looked up again; never taken from the URI). */
  private locate(uri: vscode.Uri): { target: OrgTarget; clientId: string } {
    const [connectionId, orgId, clientId] = uri.path.split('/').slice(1).map(decodeURIComponent);
    const connection = connectionId ? this.services.connections.get(connectionId) : undefined;
    if (!connection || !orgId || !clientId) {
      throw vscode.FileSystemError.FileNotFound('This hosted-UI configuration belongs to an organization that is no longer connected.');
    }
    return { target: { connection, orgId }, clientId };
  }
}
