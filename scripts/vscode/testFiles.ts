import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every `*.test.js` under `dir`, sorted, so suites run in the same order everywhere. */
export function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(full);
      return entry.name.endsWith('.test.js') ? [full] : [];
    })
    .sort();
}
