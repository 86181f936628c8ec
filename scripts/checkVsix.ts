/**
 * Checks a built .vsix: it holds only the minified bundles, media, README, CHANGELOG and LICENSE (plus the
 * manifest files vsce adds), no source maps, and stays within its size budgets.
 *
 *   node out/scripts/checkVsix.js slashid-oauth2.vsix
 */
import * as fs from 'node:fs';
import * as yauzl from 'yauzl';

const REQUIRED = [
  'extension.vsixmanifest',
  '[Content_Types].xml',
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/features.js',
  'extension/dist/emulator.js',
  'extension/dist/undici.js',
  'extension/dist/zodCompiler.js',
  'extension/dist/webview/tokenPanels.js',
  'extension/media/icon.png',
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
];
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|readme\.md|changelog\.md|LICENSE\.txt)$/,
  /^extension\/dist\/[\w./-]+\.js$/,
  /^extension\/media\/[\w./-]+$/,
];
/** The features bundle, loaded on first use (esbuild.js has the same budgets). */
const EXTENSION_BUNDLE_BUDGET = 300 * 1024;
/** The activation shell, loaded in every window at activation. */
const SHELL_BUNDLE_BUDGET = 16 * 1024;
const VSIX_BUDGET = 2 * 1024 * 1024;

interface Entry {
  name: string;
  size: number;
  text?: string;
}

function readEntries(file: string): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const entries: Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('.js')) {
          entries.push({ name: entry.fileName, size: entry.uncompressedSize });
          zip.readEntry();
          return;
        }
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.push({ name: entry.fileName, size: entry.uncompressedSize, text: Buffer.concat(chunks).toString('utf8') });
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) {
    console.error(`usage: node out/scripts/checkVsix.js <file.vsix> (got ${file ?? 'nothing'})`);
    return 2;
  }
  const entries = await readEntries(file);
  const names = new Set(entries.map((e) => e.name));
  const problems: string[] = [];
  for (const required of REQUIRED) if (!names.has(required)) problems.push(`missing ${required}`);
  for (const e of entries) {
    if (!ALLOWED.some((re) => re.test(e.name))) problems.push(`unexpected file ${e.name}`);
    if (e.name.endsWith('.map')) problems.push(`source map shipped: ${e.name}`);
    if (e.text !== undefined) {
      if (/sourceMappingURL/.test(e.text.slice(-300))) problems.push(`${e.name} refers to a source map`);
      const lines = e.text.split('\n').length;
      if (e.size > 20_000 && lines > 200) problems.push(`${e.name} does not look minified (${lines} lines)`);
    }
  }
  const shell = entries.find((e) => e.name === 'extension/dist/extension.js');
  const features = entries.find((e) => e.name === 'extension/dist/features.js');
  if (shell && shell.size > SHELL_BUNDLE_BUDGET)
    problems.push(
      `extension/dist/extension.js (the activation shell) is ${(shell.size / 1024).toFixed(1)} KB, over ${SHELL_BUNDLE_BUDGET / 1024} KB`,
    );
  if (features && features.size > EXTENSION_BUNDLE_BUDGET)
    problems.push(`extension/dist/features.js is ${(features.size / 1024).toFixed(1)} KB, over ${EXTENSION_BUNDLE_BUDGET / 1024} KB`);
  const vsixSize = fs.statSync(file).size;
  if (vsixSize > VSIX_BUDGET) problems.push(`${file} is ${(vsixSize / 1024).toFixed(0)} KB, over ${VSIX_BUDGET / 1024} KB`);

  console.log(`${file}: ${entries.length} files, ${(vsixSize / 1024).toFixed(1)} KB`);
  for (const e of [...entries].sort((a, b) => a.name.localeCompare(b.name)))
    console.log(`  ${e.name.padEnd(48)} ${(e.size / 1024).toFixed(1).padStart(8)} KB`);
  if (problems.length) {
    console.error(`vsix check FAILED:\n  ${problems.join('\n  ')}`);
    return 1;
  }
  console.log('vsix check passed: only bundles, media, README, CHANGELOG and LICENSE; no source maps; within budgets');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
