/** The browser of the authorization-code flow, played by the tests, and a command runner that reads results. */
import { runCommand as runServicesCommand } from './services';
import * as assert from 'node:assert/strict';
import * as diagnostics from 'node:diagnostics_channel';
import type { Services } from '../../src/services';
import type { ExternalBrowser } from '../../src/ui/externalBrowser';
import { forwardedRedirectUri } from '../../src/slashid/loopbackRedirect';

/** `runCommand` of ./services (results through the test hooks), with the services first as the flows suites call it. */
export async function runCommand<T>(_s: Services, id: string, ...args: unknown[]): Promise<T | undefined> {
  return runServicesCommand<T>(id, ...args);
}

/** A request's path, headers (a string or an array) or body (a string or bytes) as text. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.map(asText).join('\n');
  return '';
}

/** What the browser does with the authorization URL. */
export type Play = (url: string) => Promise<void>;

/** A browser the test drives: records each URL opened, then plays it (errors are kept for the test to see). */
export class PlayingBrowser implements ExternalBrowser {
  readonly opened: string[] = [];
  readonly errors: unknown[] = [];
  readonly pages: string[] = [];
  readonly redirects: string[] = [];
  done: Promise<void> = Promise.resolve();
  constructor(private readonly play: Play = () => Promise.resolve()) {}

  /** Plays `vscode.env.asExternalUri` for the listener's URI (a remote window's port forward); none by default. */
  forward: ((local: string) => Promise<string>) | undefined;

  /**
   * Plays a desktop editor that routes VS Code's own redirect URI to the URI handler as it is (code-server,
   * a browser-based editor, gives a per-request address instead); none by default.
   */
  editorRedirect: string | undefined;

  editorRedirectUri(): Promise<string | undefined> {
    return Promise.resolve(this.editorRedirect);
  }

  /** As WorkbenchBrowser: the forwarded URI when it is a loopback one. */
  async redirectUri(local: string): Promise<string> {
    return this.forward ? forwardedRedirectUri(local, await this.forward(local)) : local;
  }

  open(url: string): Promise<boolean> {
    this.opened.push(url);
    this.done = this.play(url).catch((err: unknown) => {
      this.errors.push(err);
    });
    return Promise.resolve(true);
  }
}

/** Fetches without following redirects; returns the Location (or the page). */
export async function get(url: string): Promise<{ status: number; location?: string; text: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, location: response.headers.get('location') ?? undefined, text };
}

/** The usual browser: the authorization URL redirects at once (login_hint) to the loopback listener, which answers a page. */
export function signInWithHint(browser: () => PlayingBrowser, change?: (location: URL) => void): Play {
  return async (url) => {
    const first = await get(url);
    assert.equal(first.status, 302, `the authorization endpoint answered ${first.status}: ${first.text.slice(0, 200)}`);
    assert.ok(first.location);
    const location = new URL(first.location);
    change?.(location);
    browser().redirects.push(location.toString());
    const page = await get(location.toString());
    browser().pages.push(`${page.status} ${page.text}`);
  };
}

/**
 * A browser that cannot reach the loopback listener (a web-based remote): it follows the authorization
 * request's redirect (login_hint) and keeps the address it ends on, without requesting it.
 */
export function signInWithoutReturning(browser: () => PlayingBrowser): Play {
  return async (url) => {
    const first = await get(url);
    assert.equal(first.status, 302, `the authorization endpoint answered ${first.status}: ${first.text.slice(0, 200)}`);
    assert.ok(first.location);
    browser().redirects.push(first.location);
  };
}

/** Every request the extension sends from now on (undici's diagnostics channel: path, headers, body), until `stop()`. */
export function captureSentRequests(): { readonly sent: { path: string; headers: string; body: string }[]; stop(): void } {
  const sent: { path: string; headers: string; body: string }[] = [];
  const onRequest = (message: unknown) => {
    const request = (message as { request?: { path?: unknown; headers?: unknown; body?: unknown } }).request;
    if (request) sent.push({ path: asText(request.path), headers: asText(request.headers), body: asText(request.body) });
  };
  diagnostics.subscribe('undici:request:create', onRequest);
  return { sent, stop: () => diagnostics.unsubscribe('undici:request:create', onRequest) };
}
