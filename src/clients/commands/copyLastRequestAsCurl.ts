import * as vscode from 'vscode';
import type { Services } from '../../services';
import { toCurl } from '../../slashid/curl';

/** "SlashID: Copy Last Request as curl": the API key, client secrets and tokens are redacted. */
export async function copyLastRequestAsCurl(services: Services): Promise<string | undefined> {
  const last = services.orgApis.lastRequest;
  if (!last) {
    void services.ui.info('No SlashID request has been made in this window yet. Run a SlashID command first.');
    return undefined;
  }
  const curl = toCurl(last);
  await vscode.env.clipboard.writeText(curl);
  void services.ui.info(
    `Copied "${last.method} ${new URL(last.url).pathname}" as curl. The API key and secrets are replaced by placeholders.`,
  );
  return curl;
}
