/** Where things are in the clone, from the compiled location (out/scripts/vscode/). */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The clone's root, which is also the extension's development path (its package.json is the manifest). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const outDir = path.join(repoRoot, 'out');
/** Screenshots and other artefacts a person looks at after a run (git-ignored). */
export const testResultsDir = path.join(repoRoot, 'test-results');

/**
 * A fresh folder for one run's code-server state (user data, extensions, XDG dirs, logs), under the git-ignored
 * `.vscode-test/runs/`, the same place @vscode/test-electron keeps its downloads.
 */
export function createRunDir(name: string): string {
  const runsDir = path.join(repoRoot, '.vscode-test', 'runs');
  pruneOldRunDirs(runsDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(runsDir, `${name}-${stamp}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const KEEP_FAILED_RUNS_MS = 24 * 60 * 60 * 1000;

/** A failed run keeps its folder for a look; after a day it goes. */
function pruneOldRunDirs(runsDir: string): void {
  if (!fs.existsSync(runsDir)) return;
  for (const entry of fs.readdirSync(runsDir)) {
    const dir = path.join(runsDir, entry);
    if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_FAILED_RUNS_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws a clear error when `npm run build` / `npm run compile` output the harness needs is missing. */
export function assertBuilt(): void {
  const needed = [path.join(repoRoot, 'dist', 'extension.js'), path.join(outDir, 'test')];
  const missing = needed.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `missing ${missing.map((file) => path.relative(repoRoot, file)).join(', ')}: run \`npm run build && npm run compile\` first`,
    );
  }
}
