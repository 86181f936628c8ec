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
import { formatVerdict, GREP_ENV } from './vscode/testReport';
import { startTestTier } from './vscode/testTier';

const RUN_TIMEOUT_MS = 5 * 60_000;

runMain(async () => {
  const { values } = parseArgs({ options: { grep: { type: 'string' } } });
  const tier = await startTestTier('integration', { keptFiles: 'code-server.log, report.txt' });
  const { server, browser, log, runDir } = tier;
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const { verdict, resultsShownLive } = await runExtensionTestsInCodeServer({
    server,
    browser,
    folder: workspace,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(outDir, 'test', 'integration', 'index.js'),
    reportFile: path.join(runDir, 'report.txt'),
    extensionEnvironment: values.grep ? { [GREP_ENV]: values.grep } : {},
    timeoutMs: RUN_TIMEOUT_MS,
    log,
  });
  console.log(`--- integration report (code-server ${server.url}) ---\n${formatVerdict(verdict, resultsShownLive)}`);
  tier.passed = verdict.exitCode === 0;
  log(`integration tier ${tier.passed ? 'passed' : 'FAILED'} in ${secondsSince(tier.startedAt)}`);
  return verdict.exitCode;
});
