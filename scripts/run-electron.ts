/**
 * `npm run test:electron`: the same suites and the same entry as `npm run test:integration`, in desktop VS Code
 * downloaded by @vscode/test-electron (cached in .vscode-test/). For machines that can reach
 * update.code.visualstudio.com; this project's sandbox cannot (see ../shared/runtime.md), CI uses code-server.
 *
 *   node out/scripts/run-electron.js [--grep <regexp>] [--vscode-version <stable|insiders|1.138.0>]
 *
 * VSCODE_TEST_VERSION works too; run it once with the minimum `engines.vscode` and once with `stable`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { runTests, TestRunFailedError } from '@vscode/test-electron';
import { onCleanup, runMain } from './vscode/cleanup';
import { assertBuilt, createRunDir, outDir, repoRoot } from './vscode/paths';
import { progressLog, secondsSince } from './vscode/progress';
import { TEST_HOOKS_ENV } from '../src/common/testHooksEnv';
import { formatVerdict, GREP_ENV, judgeTestRun, REPORT_FILE_ENV } from './vscode/testReport';

runMain(async () => {
  const startedAt = Date.now();
  const { values } = parseArgs({ options: { grep: { type: 'string' }, 'vscode-version': { type: 'string' } } });
  const version = values['vscode-version'] ?? process.env.VSCODE_TEST_VERSION ?? 'stable';
  const log = progressLog('electron');
  assertBuilt();

  const runDir = createRunDir('electron');
  let keepRunDir = false; // kept only after a failed test run, for its logs
  onCleanup('run folder', () => {
    if (keepRunDir) console.log(`kept ${path.relative(repoRoot, runDir)} (user-data/logs, report.txt) for a look`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  });
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const reportFile = path.join(runDir, 'report.txt');

  log(`VS Code ${version} via @vscode/test-electron (downloaded once into .vscode-test/)`);
  let exitCode: number | undefined;
  try {
    exitCode = await runTests({
      version,
      cachePath: path.join(repoRoot, '.vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outDir, 'test', 'integration', 'index.js'),
      // The suites that need the services (the ones that play another extension run only under run-integration).
      extensionTestsEnv: { [REPORT_FILE_ENV]: reportFile, [TEST_HOOKS_ENV]: '1', ...(values.grep ? { [GREP_ENV]: values.grep } : {}) },
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under test still loads
        '--disable-workspace-trust',
        `--user-data-dir=${path.join(runDir, 'user-data')}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
  } catch (error) {
    if (error instanceof TestRunFailedError) {
      exitCode = error.code ?? 1;
    } else {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`could not download or start VS Code ${version}: ${reason}`);
      if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(reason)) {
        console.error('This machine cannot reach update.code.visualstudio.com: use `npm run test:integration` (code-server) here.');
      }
      return 2;
    }
  }
  const verdict = judgeTestRun(reportFile, exitCode);
  // The extension host's console (with the live result lines) went to this process's stdout already.
  console.log(`--- integration report (VS Code ${version}, Electron) ---\n${formatVerdict(verdict, true)}`);
  const passed = verdict.exitCode === 0;
  keepRunDir = !passed;
  log(`integration tier (Electron) ${passed ? 'passed' : 'FAILED'} in ${secondsSince(startedAt)}`);
  return verdict.exitCode;
});
