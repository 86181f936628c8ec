/**
 * Installs (on first use) what the tests need of a real VS Code here: Node 24, code-server and Debian's Chromium,
 * into the runtime cache. `npm test` runs it before the unit tier, whose sign-in page test drives that Chromium.
 */
import { runMain } from './vscode/cleanup';
import { ensureVsCodeRuntime } from './vscode/runtime';

runMain(async () => {
  await ensureVsCodeRuntime();
  return 0;
});
