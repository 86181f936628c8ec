/**
 * The raw tokens a panel shows, kept in this extension host's memory only, under the `tokenId` the
 * webview knows them by. Never written to disk, settings, globalState or webview state; forgotten when
 * the panel closes or shows new results.
 */
export interface HeldToken {
  readonly raw: string;
  /** What "Copy payload" copies: the decoded payload or the introspection, as formatted JSON. */
  readonly payloadJson?: string;
  readonly title: string;
}

export class PanelTokens {
  private readonly tokens = new Map<string, HeldToken>();
  private generation = 0;

  /** Starts a new set of results (the previous tokens are forgotten) and returns its id prefix. */
  startResults(): string {
    this.tokens.clear();
    this.generation++;
    return `r${this.generation}`;
  }

  hold(tokenId: string, token: HeldToken): void {
    this.tokens.set(tokenId, token);
  }

  get(tokenId: string): HeldToken | undefined {
    return this.tokens.get(tokenId);
  }

  clear(): void {
    this.tokens.clear();
  }
}
