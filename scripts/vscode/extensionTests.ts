/**
 * Runs an extensionTestsPath module inside code-server's real (Node) extension host: opens the workbench with the
 * payload in a fresh browser context and waits for the exit code that the smoke-test driver hands to the page's
 * `codeAutomationExit` function, then judges it together with the report file (see testReport.ts).
 */
import * as fs from 'node:fs';
import type { Browser, ConsoleMessage } from 'playwright-core';
import type { CodeServer } from './codeServer';
import type { ProgressLog } from './progress';
import { CONSOLE_TAG, judgeTestRun, REPORT_FILE_ENV, type TestRunVerdict } from './testReport';

export interface ExtensionTestsRun {
  server: CodeServer;
  browser: Browser;
  /** Folder opened as the workspace. */
  folder: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  reportFile: string;
  /** More environment for the extension host (the report path is added). */
  extensionEnvironment?: Record<string, string>;
  timeoutMs: number;
  log: ProgressLog;
}

export interface ExtensionTestsOutcome {
  readonly verdict: TestRunVerdict;
  /** Whether the result lines were printed as they came (then only failures need repeating). */
  readonly resultsShownLive: boolean;
}

export async function runExtensionTestsInCodeServer(run: ExtensionTestsRun): Promise<ExtensionTestsOutcome> {
  fs.rmSync(run.reportFile, { force: true });
  const context = await run.browser.newContext();
  try {
    const page = await context.newPage();
    let finish: (outcome: { exitCode?: number; reason: string }) => void = () => undefined;
    const outcome = new Promise<{ exitCode?: number; reason: string }>((resolve) => (finish = resolve));
    // The smoke-test driver calls this with the extension host's exit code when the test run ends.
    await page.exposeFunction('codeAutomationExit', (code: number) => finish({ exitCode: code, reason: 'extension host exited' }));
    page.once('crash', () => finish({ reason: 'the workbench page crashed' }));
    const timer = setTimeout(() => finish({ reason: `timed out after ${run.timeoutMs / 1000}s` }), run.timeoutMs).unref();
    let resultsShownLive = false;
    page.on('console', (message) => {
      if (printExtensionHostLine(message)) resultsShownLive = true;
    });
    const url = run.server.workbenchUrl({
      folder: run.folder,
      extensionDevelopmentPath: run.extensionDevelopmentPath,
      extensionTestsPath: run.extensionTestsPath,
      extensionEnvironment: { ...run.extensionEnvironment, [REPORT_FILE_ENV]: run.reportFile },
    });
    await page.goto(url);
    run.log('workbench opened; the extension host runs the suites');
    const { exitCode, reason } = await outcome;
    clearTimeout(timer);
    run.log(`${reason}${exitCode === undefined ? '' : ` with code ${exitCode}`}`);
    return { verdict: judgeTestRun(run.reportFile, exitCode), resultsShownLive };
  } finally {
    await context.close();
  }
}

/**
 * In extension-development mode the extension host's console reaches the page console (with the workbench's log
 * styling around it). The test entry tags its result lines; we print those live, and everything with VERBOSE=1.
 */
function printExtensionHostLine(message: ConsoleMessage): boolean {
  const text = message.text();
  const tagged = text.indexOf(CONSOLE_TAG);
  if (tagged >= 0) {
    for (const line of text.slice(tagged + CONSOLE_TAG.length).split('\n')) console.log(`  | ${line}`);
    return true;
  }
  if (process.env.VERBOSE) console.log(`  . ${text}`);
  return false;
}
