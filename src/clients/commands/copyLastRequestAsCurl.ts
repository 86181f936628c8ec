import * as vscode from 'vscode';
import type { Services } from '../../services';
import { toCurl } from '../../slashid/curl';

/** "SlashID: Copy Last Request as curl": every credential (API key, client secret, code, PKCE verifier, token) is redacted (curl.ts). */
export async function copyLastRequestAsCurl(services: Services): Promise<string | undefined> {
  const last = services.orgApis.lastRequest;
  if (!last) {
    void services.ui.info('No SlashID request has been made in this window yet. Run a SlashID command first.');
    return undefined;
  }
  const curl = toCurl(last);
  await vscode.env.clipboard.writeText(curl);
  void services.ui.info(
    `Copied "${last.method} ${new URL(last.url).pathname}" as curl, with the API key, secrets, codes and tokens replaced by placeholders.`,
  );
  return curl;
}
