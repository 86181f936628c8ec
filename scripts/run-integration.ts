/**
 * `npm run test:integration`: runs test/integration's mocha suites inside the real extension host of code-server
 * (VS Code 1.139 server), driven by headless Chromium. Exit code = the suites' verdict (see testReport.ts).
 *
 *   node out/scripts/run-integration.js [--grep <regexp>]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './vscode/browser';
import { onCleanup, runMain } from './vscode/cleanup';
import { startCodeServer } from './vscode/codeServer';
import { runExtensionTestsInCodeServer } from './vscode/extensionTests';
import { assertBuilt, createRunDir, outDir, repoRoot } from './vscode/paths';
import { progressLog, secondsSince } from './vscode/progress';
import { ensureVsCodeRuntime } from './vscode/runtime';
import { formatVerdict, GREP_ENV } from './vscode/testReport';

const RUN_TIMEOUT_MS = 5 * 60_000;

runMain(async () => {
  const startedAt = Date.now();
  const { values } = parseArgs({ options: { grep: { type: 'string' } } });
  const log = progressLog('integration');
  assertBuilt();
  const runtime = await ensureVsCodeRuntime(log);

  const runDir = createRunDir('integration');
  let passed = false;
  // Registered first, so it runs last: after code-server and Chromium have stopped.
  onCleanup('run folder', () => {
    if (passed) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`kept ${path.relative(repoRoot, runDir)} (code-server.log, report.txt) for a look`);
  });
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });

  const server = await startCodeServer({ runtime, runDir, log });
  const browser = await launchChromium(runtime, log);
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
  passed = verdict.exitCode === 0;
  log(`integration tier ${passed ? 'passed' : 'FAILED'} in ${secondsSince(startedAt)}`);
  return verdict.exitCode;
});
