import * as fs from 'node:fs';
import * as path from 'node:path';
import { outDir, repoRoot } from './paths';

/**
 * Every compiled `*.test.js` under `dir` (in out/), sorted so suites run in the same order everywhere. A file whose
 * `.ts` source is gone is skipped: tsc does not delete its old output, and a deleted test must not keep running.
 */
export function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(full);
      return entry.name.endsWith('.test.js') && hasSource(full) ? [full] : [];
    })
    .sort();
}

function hasSource(compiled: string): boolean {
  const source = path.join(repoRoot, path.relative(outDir, compiled)).replace(/\.js$/, '.ts');
  if (fs.existsSync(source)) return true;
  console.warn(`skipping ${path.relative(repoRoot, compiled)}: its source ${path.relative(repoRoot, source)} no longer exists`);
  return false;
}
