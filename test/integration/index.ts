/**
 * extensionTestsPath entry: VS Code's extension host (code-server's or @vscode/test-electron's) loads this module
 * and calls run(); a rejection means failure. Runs every out/test/integration/**\/*.test.js with mocha (with the
 * extension's test hooks on; without them, only the suites under otherExtension/) and writes a
 * report file ending in `N passed, N failed` (path in SLASHID_TEST_REPORT), which the runners require: an
 * extension host that dies mid-run reports exit code 0 and writes no report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { CONSOLE_TAG, GREP_ENV, REPORT_FILE_ENV, summaryLine } from '../../scripts/vscode/testReport';
import { findTestFiles } from '../../scripts/vscode/testFiles';
import { TEST_HOOKS_ENV } from '../../src/common/testHooksEnv';

/** Suites that play another extension: they run in an extension host without the test hooks. */
const OTHER_EXTENSION_DIR = `${path.sep}otherExtension${path.sep}`;

export function run(): Promise<void> {
  // Results are printed by the handlers below (one plain line each, tagged for the runners to pick out of the
  // workbench's console); mocha's own reporters print printf-style lines that the console forwarding garbles.
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: Mocha.reporters.Base });
  const grep = process.env[GREP_ENV];
  if (grep) mocha.grep(new RegExp(grep));
  const withHooks = process.env[TEST_HOOKS_ENV] === '1';
  for (const file of findTestFiles(__dirname)) {
    if (file.includes(OTHER_EXTENSION_DIR) !== withHooks) mocha.addFile(file);
  }

  const reportFile = process.env[REPORT_FILE_ENV];
  const lines: string[] = [];
  const record = (line: string) => {
    lines.push(line);
    console.log(`${CONSOLE_TAG}${line}`);
  };
  let passed = 0;
  let failed = 0;
  let pending = 0;
  const writeReport = () => {
    if (pending > 0) lines.push(`${pending} pending`);
    lines.push(summaryLine(passed, failed));
    if (reportFile) fs.writeFileSync(reportFile, `${lines.join('\n')}\n`);
  };

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        writeReport();
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => {
        passed++;
        record(`ok - ${test.fullTitle()} (${test.duration ?? 0}ms)`);
      });
      runner.on('pending', (test) => {
        pending++;
        record(`skipped - ${test.fullTitle()}`);
      });
      runner.on('fail', (test, error: unknown) => {
        failed++;
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        record(`not ok - ${test.fullTitle()}\n    ${detail.split('\n').slice(0, 8).join('\n    ')}`);
      });
    } catch (error) {
      // A suite that throws while loading: report it rather than die quietly.
      failed++;
      record(`not ok - loading the suites\n    ${String(error instanceof Error ? error.stack : error)}`);
      writeReport();
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
