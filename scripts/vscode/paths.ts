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
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.join(repoRoot, '.vscode-test', 'runs', `${name}-${stamp}-${process.pid}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Throws a clear error when `npm run build` / `npm run compile` output the harness needs is missing. */
export function assertBuilt(): void {
  const needed = [path.join(repoRoot, 'dist', 'extension.js'), path.join(outDir, 'test')];
  const missing = needed.filter((file) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(`missing ${missing.map((file) => path.relative(repoRoot, file)).join(', ')}: run \`npm run build && npm run compile\` first`);
  }
}
