/**
 * `npm run test:integration`: runs test/integration's mocha suites inside the real extension host of code-server
 * (VS Code 1.139 server), driven by headless Chromium. Exit code = the suites' verdict (see testReport.ts).
 *
 *   node out/scripts/run-integration.js [--grep <regexp>]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runMain } from './vscode/cleanup';
import { runExtensionTestsInCodeServer } from './vscode/extensionTests';
import { outDir, repoRoot } from './vscode/paths';
import { secondsSince } from './vscode/progress';
import { formatVerdict, GREP_ENV, NO_TEST_RAN } from './vscode/testReport';
import { TEST_HOOKS_ENV } from '../src/common/testHooksEnv';
import { startTestTier } from './vscode/testTier';

const RUN_TIMEOUT_MS = 5 * 60_000;

runMain(async () => {
  const { values } = parseArgs({ options: { grep: { type: 'string' } } });
  const tier = await startTestTier('integration', { keptFiles: 'code-server.log, report-*.txt' });
  const { server, browser, log, runDir } = tier;
  const run = (name: string, environment: Record<string, string>) => {
    const folder = path.join(runDir, name);
    fs.mkdirSync(folder, { recursive: true });
    return runExtensionTestsInCodeServer({
      server,
      browser,
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outDir, 'test', 'integration', 'index.js'),
      reportFile: path.join(runDir, `report-${name}.txt`),
      extensionEnvironment: { ...(values.grep ? { [GREP_ENV]: values.grep } : {}), ...environment },
      timeoutMs: RUN_TIMEOUT_MS,
      log,
    });
  };
  // First the suites that play another extension, in an extension host as any user's: no test hooks. (They run
  // first, in a workbench no other suite has used.)
  log('extension host without the test hooks: the suites that play another extension');
  const other = await run('other-extension', {});
  // Then the suites that need the extension's services: test mode and our variable give them the test hooks.
  log('extension host with the test hooks: the other suites');
  const main = await run('workspace', { [TEST_HOOKS_ENV]: '1' });
  // With --grep, a run whose suites all fall outside it ran nothing; that is fine as long as one run ran something.
  const notSelected = (verdict: { exitCode: number }) => values.grep !== undefined && verdict.exitCode === NO_TEST_RAN;
  const report = (outcome: typeof main) =>
    notSelected(outcome.verdict) ? 'no suite matched --grep' : formatVerdict(outcome.verdict, outcome.resultsShownLive);
  console.log(`--- integration report (code-server ${server.url}) ---\n--- without test hooks ---\n${report(other)}`);
  console.log(`--- with test hooks ---\n${report(main)}`);
  const exitCode =
    notSelected(main.verdict) && notSelected(other.verdict)
      ? NO_TEST_RAN
      : (notSelected(main.verdict) ? 0 : main.verdict.exitCode) || (notSelected(other.verdict) ? 0 : other.verdict.exitCode);
  tier.passed = exitCode === 0;
  log(`integration tier ${tier.passed ? 'passed' : 'FAILED'} in ${secondsSince(tier.startedAt)}`);
  return exitCode;
});
