import type { Environment } from './connections';
import { PRODUCTION_BASE_URL, SANDBOX_BASE_URL } from '../slashid/contract';

export interface EnvironmentChoice {
  readonly environment: Environment;
  readonly label: string;
  readonly detail: string;
  readonly baseUrl?: string;
}

export const ENVIRONMENTS: readonly EnvironmentChoice[] = [
  { environment: 'production', label: 'Production', detail: PRODUCTION_BASE_URL, baseUrl: PRODUCTION_BASE_URL },
  { environment: 'sandbox', label: 'Sandbox', detail: SANDBOX_BASE_URL, baseUrl: SANDBOX_BASE_URL },
  {
    environment: 'emulator',
    label: 'Local emulator',
    detail: 'The SlashID emulator on this machine (started by the extension, or `slashid.localEmulator.url`)',
  },
  { environment: 'custom', label: 'Custom URL', detail: 'Another SlashID API endpoint' },
];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * Checks a custom base URL: absolute, http(s), no query or fragment, and plain http only on loopback
 * (an API key must never travel unencrypted). Returns a message, or undefined when fine.
 */
export function checkBaseUrl(text: string): string | undefined {
  const value = text.trim();
  if (!value) {
    return 'Enter the API base URL, for example https://api.slashid.com';
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL. Include the scheme, for example https://api.example.com`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `Use an https:// URL (got ${url.protocol}).`;
  }
  if (url.protocol === 'http:' && !isLoopbackUrl(url)) {
    return 'Plain http:// is only allowed for this machine (127.0.0.1 or localhost): the API key would travel unencrypted.';
  }
  if (url.search || url.hash) {
    return 'The base URL cannot have a query string or a fragment.';
  }
  if (url.username || url.password) {
    return 'The base URL cannot contain a user name or password.';
  }
  return undefined;
}

/** `https://api.example.com/` → `https://api.example.com` (no trailing slash, as the client expects). */
export function normalizeBaseUrl(text: string): string {
  const url = new URL(text.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
