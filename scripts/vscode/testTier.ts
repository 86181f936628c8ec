/**
 * What `npm run test:integration` and `npm run test:e2e` both do before their tests run: check the build,
 * install (or reuse) the VS Code runtime, make a run folder (removed when the tier passes, kept otherwise),
 * and start code-server and headless Chromium.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { onCleanup } from './cleanup';
import { startCodeServer, type CodeServer } from './codeServer';
import { assertBuilt, createRunDir, repoRoot } from './paths';
import { progressLog, type ProgressLog } from './progress';
import { ensureVsCodeRuntime } from './runtime';

export interface TestTier {
  readonly log: ProgressLog;
  readonly startedAt: number;
  readonly runDir: string;
  readonly server: CodeServer;
  readonly browser: Browser;
  /** Whether the run folder is removed at exit (it is kept for a look when the tier failed). */
  passed: boolean;
}

export async function startTestTier(
  name: 'integration' | 'e2e',
  options: { keptFiles: string; installedExtensions?: string[] },
): Promise<TestTier> {
  const startedAt = Date.now();
  const log = progressLog(name);
  assertBuilt();
  const runtime = await ensureVsCodeRuntime(log);
  const runDir = createRunDir(name);
  const tier = { log, startedAt, runDir, passed: false } as TestTier;
  // Registered first, so it runs last: after code-server and Chromium have stopped.
  onCleanup('run folder', () => {
    if (tier.passed) fs.rmSync(runDir, { recursive: true, force: true });
    else console.log(`kept ${path.relative(repoRoot, runDir)} (${options.keptFiles}) for a look`);
  });
  const server = await startCodeServer({ runtime, runDir, log, installedExtensions: options.installedExtensions });
  const browser = await launchChromium(runtime, log);
  return Object.assign(tier, { server, browser });
}
