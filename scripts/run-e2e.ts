/**
 * `npm run test:e2e`: Playwright UI tests (test/e2e/**\/*.test.js) against the real workbench, with mocha as the
 * runner. One code-server and one Chromium per run; each test opens its own browser context. After each test a
 * screenshot of its final state goes to test-results/screenshots/.
 *
 *   node out/scripts/run-e2e.js [--grep <regexp> | --exclude <regexp>] [out/test/e2e/some.test.js ...]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';
import { setE2eSession, takeOpenWorkbenches } from '../test/e2e/session';
import { runMain } from './vscode/cleanup';
import { outDir, repoRoot, testResultsDir } from './vscode/paths';
import { secondsSince } from './vscode/progress';
import { summaryLine } from './vscode/testReport';
import { startTestTier } from './vscode/testTier';
import { readDialogs, screenshot } from '../test/e2e/workbench';
import { findTestFiles } from './vscode/testFiles';

const TEST_TIMEOUT_MS = 120_000;

runMain(async () => {
  const { values, positionals } = parseArgs({ options: { grep: { type: 'string' }, exclude: { type: 'string' } }, allowPositionals: true });
  const tier = await startTestTier('e2e', {
    keptFiles: 'code-server.log',
    // Another extension calling our chat tools (test/e2e/chatConfirmation.test.ts).
    installedExtensions: [path.join(repoRoot, 'test', 'e2e', 'chatCaller')],
  });
  const { server, browser, log, runDir } = tier;
  const screenshotsDir = path.join(testResultsDir, 'screenshots');
  const filtered = values.grep !== undefined || values.exclude !== undefined || positionals.length > 0;
  if (!filtered) fs.rmSync(screenshotsDir, { recursive: true, force: true }); // no stale pictures of removed tests
  const workspacesDir = path.join(runDir, 'workspaces');
  fs.mkdirSync(workspacesDir, { recursive: true });
  setE2eSession({ server, browser, workspacesDir, screenshotsDir });

  const files = positionals.length > 0 ? positionals.map((file) => path.resolve(file)) : findTestFiles(path.join(outDir, 'test', 'e2e'));
  const mocha = new Mocha({ ui: 'bdd', timeout: TEST_TIMEOUT_MS, reporter: 'spec' });
  if (values.grep) mocha.grep(new RegExp(values.grep));
  else if (values.exclude) mocha.grep(new RegExp(values.exclude)).invert();
  for (const file of files) mocha.addFile(file);
  mocha.rootHooks({
    async afterEach(this: Mocha.Context) {
      const test = this.currentTest;
      const failedTest = test?.state === 'failed';
      for (const [index, workbench] of takeOpenWorkbenches().entries()) {
        const name = `${slug(test?.fullTitle() ?? 'test')}${index > 0 ? `-${index + 1}` : ''}${failedTest ? '-FAILED' : ''}`;
        try {
          const file = await screenshot(workbench.page, screenshotsDir, name);
          console.log(`      screenshot: ${path.relative(repoRoot, file)}`);
        } catch (error) {
          console.log(`      (no screenshot: ${error instanceof Error ? error.message : String(error)})`);
        }
        const dialogs = failedTest ? await readDialogs(workbench.page).catch(() => []) : [];
        for (const dialog of dialogs) console.log(`      open dialog: ${dialog.replace(/\n+/g, ' | ')}`);
        if (failedTest && workbench.extensionHostLog.length > 0) {
          console.log(`      last extension-host lines:\n        ${workbench.extensionHostLog.slice(-15).join('\n        ')}`);
        }
        await workbench.context.close();
      }
    },
  });

  let passedTests = 0;
  let failedTests = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => passedTests++);
    runner.on('fail', () => failedTests++);
  });
  console.log(summaryLine(passedTests, failedTests));
  tier.passed = failedTests === 0 && passedTests > 0;
  if (passedTests === 0 && failedTests === 0) console.log('FAILED: no test ran');
  log(`e2e tier ${tier.passed ? 'passed' : 'FAILED'} in ${secondsSince(tier.startedAt)} (code-server ${server.url})`);
  return tier.passed ? 0 : 1;
});

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}
