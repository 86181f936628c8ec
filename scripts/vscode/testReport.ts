/**
 * The report file an extension-host test run writes (test/integration/index.ts) and its runners read.
 *
 * Why a file: an extension host that dies (process.exit, a crash) reports exit code 0 to code-server's page, and
 * @vscode/test-electron can likewise see a clean exit. A run counts as passed only with a report whose last line
 * says `N passed, 0 failed` with N > 0.
 */
import * as fs from 'node:fs';

/** Environment variable (set through `extensionEnvironment`) naming the report file. */
export const REPORT_FILE_ENV = 'SLASHID_TEST_REPORT';
/** Optional: only run tests whose full title matches this regular expression. */
export const GREP_ENV = 'SLASHID_TEST_GREP';

/** Prefix of the result lines the test entry logs as it goes, so runners can show progress live. */
export const CONSOLE_TAG = '[slashid-tests] ';

/** The exit code of a run in which no test ran (for example none matched the grep). */
export const NO_TEST_RAN = 4;

export function summaryLine(passed: number, failed: number): string {
  return `${passed} passed, ${failed} failed`;
}

export interface TestRunVerdict {
  readonly exitCode: number;
  /** The report file's text, if one was written. */
  readonly report: string | undefined;
  /** One line: passed, or why the run failed. */
  readonly conclusion: string;
}

/** Combines the exit code the extension host reported with the report it should have written. */
export function judgeTestRun(reportFile: string, reportedExitCode: number | undefined): TestRunVerdict {
  const report = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8').trimEnd() : undefined;
  const exitText = reportedExitCode === undefined ? 'no exit code' : `exit code ${reportedExitCode}`;
  const verdict = (exitCode: number, conclusion: string): TestRunVerdict => ({ exitCode, report, conclusion });
  if (report === undefined) {
    return verdict(
      reportedExitCode ? reportedExitCode : 3,
      `FAILED: the extension host ended (${exitText}) without writing a test report: it died before the run finished`,
    );
  }
  const match = /^(\d+) passed, (\d+) failed$/.exec(report.split('\n').at(-1) ?? '');
  if (!match) return verdict(3, `FAILED: the test report has no summary line (${exitText})`);
  const passed = Number(match[1]);
  const failed = Number(match[2]);
  if (failed > 0 || reportedExitCode !== 0) return verdict(reportedExitCode ? reportedExitCode : 1, `FAILED (${exitText})`);
  if (passed === 0) return verdict(NO_TEST_RAN, 'FAILED: no test ran');
  return verdict(0, 'PASSED');
}

/**
 * What to print at the end of a run: the whole report, or, when its lines were already shown live, only the
 * failures again and the summary.
 */
export function formatVerdict(verdict: TestRunVerdict, resultsShownLive: boolean): string {
  const lines = verdict.report?.split('\n') ?? [];
  const shown = resultsShownLive ? lines.filter((line) => !/^(ok|skipped) - /.test(line)) : lines;
  return [...shown, verdict.conclusion].join('\n');
}
