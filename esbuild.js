// Two bundles: the extension (Node, CommonJS, `vscode` external) and the webview scripts (browser, IIFE).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Logs each rebuild's errors in the `file:line:col: error:` form that VS Code's problem matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log(`[watch] build started (${build.initialOptions.platform})`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log(`[watch] build finished (${build.initialOptions.platform})`);
    });
  },
};

const webviewEntries = fs
  .readdirSync(path.join(__dirname, 'src', 'webview'))
  .filter((f) => /^[a-z][\w-]*\.ts$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => path.join('src', 'webview', f));

/** @type {import('esbuild').BuildOptions[]} */
const configs = [
  {
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    legalComments: production ? 'none' : 'inline',
    logLevel: 'warning',
    metafile: true,
    plugins: watch ? [problemMatcherPlugin] : [],
  },
  {
    // The local emulator, loaded only when "Start Local Emulator" runs (never at activation).
    entryPoints: { emulator: 'emulator/index.ts' },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: watch ? [problemMatcherPlugin] : [],
  },
  {
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: watch ? [problemMatcherPlugin] : [],
  },
];

async function main() {
  const contexts = await Promise.all(configs.filter((c) => Object.keys(c.entryPoints || {}).length > 0).map((c) => esbuild.context(c)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const ext = results[0].metafile && results[0].metafile.outputs['dist/extension.js'];
  if (ext) console.log(`dist/extension.js ${(ext.bytes / 1024).toFixed(1)} KB${production ? ' (minified)' : ''}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
