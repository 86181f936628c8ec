// Six bundles: the activation shell (dist/extension.js: stand-ins, a few KB); the features it loads on
// first use (dist/features.js; Node, CommonJS, `vscode` external); their HTTP client, undici, loaded on
// the first request (dist/undici.js); zod's schema compiler, loaded with the first client list
// (dist/zodCompiler.js); the local emulator, loaded on demand; the webview scripts (browser, IIFE).
// `--production` minifies and drops source maps; `--watch` rebuilds on change.
// `require('./esbuild.js')` gives the extension's build options without building (the benchmarks use them).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/**
 * Size budget of the minified features bundle, dist/features.js, loaded on first use (README, Performance:
 * ≤ 300 KB; until the activation shell was split off, the budget of dist/extension.js, which held the same
 * code): a production build over it fails.
 */
const EXTENSION_BUDGET_BYTES = 300 * 1024;
/**
 * Size budget of the minified activation shell, dist/extension.js: what every window compiles and runs
 * at activation. Over it, activation is no longer ≤ 1.1× an empty extension (README, Performance).
 */
const SHELL_BUDGET_BYTES = 16 * 1024;

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

/**
 * undici, trimmed to what PoolRegistry uses: an HTTP/1.1 `Pool` and `request()` (~107 KB minified instead
 * of ~520 KB for `import { Pool } from 'undici'`), in its own file loaded on the first request.
 *
 * 1. src/slashid/poolRegistry.ts requires `undici/lib/dispatcher/pool.js` and `lib/api/api-request.js`
 *    (undici 7 has no "exports" map) instead of the package index, which loads fetch, WebSocket,
 *    EventSource, the caches, the mock agent and more. In the extension bundle, these two requires read
 *    dist/undici.js (undiciOnDemandPlugin); any other undici import from src/ is a build error, so the
 *    index cannot creep back in (`import type` is erased and fine).
 * 2. `lib/llhttp/llhttp-wasm.js`, the non-SIMD build of the HTTP parser (70 KB of base64), is replaced by
 *    a module that throws. client-h1.js's `lazyllhttp()` compiles `llhttp_simd-wasm.js` first and only
 *    falls back to it when that fails, when UNDICI_NO_WASM_SIMD=1, or (eagerly) when JEST_WORKER_ID is
 *    set. WebAssembly SIMD is on by default in every V8 since 9.1 (Node 16.4) on x64, arm64 and armv7
 *    (NEON), i.e. every Node/Electron that can run this extension (engines: node >= 20.19); undici only
 *    disables it itself for ppc64 on Node < 24.12, not a VS Code platform. If it is ever taken, requests
 *    fail with the message below instead of silently.
 * 3. `lib/llhttp/llhttp_simd-wasm.js` (the parser that is used) is stored Brotli-compressed: 70 KB of
 *    base64 become ~20 KB. undici requires it lazily, on the first connection; decompressing costs
 *    ~1 ms once per extension host. The build checks that the bytes round-trip.
 * 4. `lib/dispatcher/client-h2.js` (HTTP/2) is replaced by a function that throws: client.js calls it
 *    only for a socket whose ALPN protocol is "h2", which needs `allowH2` or `useH2c`; PoolRegistry
 *    always sets `allowH2: false`, and `useH2c` (cleartext h2) is never set.
 * 5. `lib/web/fetch/body.js` (with WebIDL, FormData, multipart parser: ~45 KB) is replaced by a module
 *    whose `extractBody` throws: client-h1.js requires it only to send a FormData request body;
 *    SlashIdClient sends strings (JSON or form-urlencoded) or nothing.
 *
 * `npm run bench` checks that requests through the bundled client work: it activates the production
 * bundle against the emulator and lists, creates, reads, rotates, deletes and gets a token (bench/bundleSmoke.ts).
 */
const undiciSlimPlugin = {
  name: 'undici-slim',
  setup(build) {
    const undiciLib = path.join(path.dirname(require.resolve('undici/package.json')), 'lib');
    const libFile = (...parts) => path.join(undiciLib, ...parts);
    const replacements = new Map([
      [
        libFile('llhttp', 'llhttp-wasm.js'),
        () =>
          'throw new Error("undici\'s non-SIMD HTTP parser is not included in the SlashID extension bundle: WebAssembly SIMD is required' +
          ' (the SIMD parser failed to compile, UNDICI_NO_WASM_SIMD=1 or JEST_WORKER_ID is set).");',
      ],
      [libFile('llhttp', 'llhttp_simd-wasm.js'), () => compressedWasmModule(libFile('llhttp', 'llhttp_simd-wasm.js'))],
      [
        libFile('dispatcher', 'client-h2.js'),
        () =>
          "module.exports = function connectH2 () { throw new Error('HTTP/2 is not included in the SlashID extension bundle (PoolRegistry sets allowH2: false).') }",
      ],
      [
        libFile('web', 'fetch', 'body.js'),
        () =>
          "module.exports = { extractBody () { throw new Error('FormData request bodies are not supported by the SlashID extension bundle.') } }",
      ],
    ]);
    build.onLoad({ filter: /[\\/]undici[\\/]lib[\\/].*\.js$/ }, (args) => {
      const replacement = replacements.get(args.path);
      return replacement ? { contents: replacement(), loader: 'js' } : undefined;
    });
  },
};

/** llhttp_simd-wasm.js with its WebAssembly bytes Brotli-compressed; decompressed when first required. */
function compressedWasmModule(file) {
  const wasm = require(file); // undici's module: a Buffer decoded from base64
  if (!Buffer.isBuffer(wasm) || wasm.readUInt32BE(0) !== 0x0061736d) {
    throw new Error(`${file} no longer exports WebAssembly bytes: revisit undiciSlimPlugin in esbuild.js`);
  }
  const compressed = zlib.brotliCompressSync(wasm, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length },
  });
  if (!zlib.brotliDecompressSync(compressed).equals(wasm)) {
    throw new Error('llhttp_simd-wasm.js does not round-trip through Brotli');
  }
  return [
    "'use strict'",
    `// undici's lib/llhttp/llhttp_simd-wasm.js (${wasm.length} bytes of WebAssembly), Brotli-compressed by esbuild.js.`,
    `module.exports = require('node:zlib').brotliDecompressSync(Buffer.from('${compressed.toString('base64')}', 'base64'))`,
  ].join('\n');
}

/** The undici modules PoolRegistry requires, and the name dist/undici.js exports each one as. */
const UNDICI_EXPORTS = {
  'undici/lib/dispatcher/pool.js': 'Pool',
  'undici/lib/api/api-request.js': 'request',
};

/**
 * In the extension bundle, PoolRegistry's two undici requires read dist/undici.js, next to the
 * extension's file, on the first request: activation, which sends none, does not read or compile the
 * HTTP client (~3-7 ms of activation otherwise). Other imports of undici fail the build.
 */
const undiciOnDemandPlugin = {
  name: 'undici-on-demand',
  setup(build) {
    build.onResolve({ filter: /^undici(\/|$)/ }, (args) => {
      if (Object.hasOwn(UNDICI_EXPORTS, args.path)) return { path: args.path, namespace: 'undici-on-demand' };
      return {
        errors: [
          {
            text: `${args.importer} imports '${args.path}': src/ reaches undici only through PoolRegistry (src/slashid/poolRegistry.ts), whose HTTP client esbuild.js bundles as dist/undici.js. Use \`import type\` for types.`,
          },
        ],
      };
    });
    build.onResolve({ filter: /^\.\/undici\.js$/, namespace: 'undici-on-demand' }, () => ({ path: './undici.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'undici-on-demand' }, (args) => ({
      contents: `module.exports = require('./undici.js').${UNDICI_EXPORTS[args.path]};`,
      loader: 'js',
    }));
  },
};

/**
 * zod's schema compiler (`compile`, ~29 KB minified with what it needs: a code generator for every kind
 * of schema) serves one schema, the client list's (src/slashid/schemas.ts), compiled when the first list
 * arrives. schemas.ts requires it then as `zod/v4/core`; in the extension bundle that require reads
 * dist/zodCompiler.js, next to the features, instead of bundling it into them. `validate`, which runs the
 * compiled checker, stays in the features (zod/mini's parse.js, which never imports the compiler). The
 * compiler's copy of zod's helpers is stateless, and the schema it compiles is cloned with its own
 * constructor, so two copies work together; the extension-host tests list clients through the bundles.
 */
const zodCompilerOnDemandPlugin = {
  name: 'zod-compiler-on-demand',
  setup(build) {
    build.onResolve({ filter: /^zod\/v4\/core$/ }, (args) =>
      args.namespace === 'zod-compiler-on-demand' ? undefined : { path: 'zod/v4/core', namespace: 'zod-compiler-on-demand' },
    );
    build.onResolve({ filter: /^\.\/zodCompiler\.js$/, namespace: 'zod-compiler-on-demand' }, () => ({
      path: './zodCompiler.js',
      external: true,
    }));
    build.onLoad({ filter: /.*/, namespace: 'zod-compiler-on-demand' }, () => ({
      contents: "module.exports = require('./zodCompiler.js');",
      loader: 'js',
    }));
  },
};

/**
 * One `vscode` namespace object for the whole bundle. For `import * as vscode from 'vscode'` of an
 * external CommonJS module, esbuild emits `__toESM(require('vscode'))` in every importing module (37 of
 * them), and each call copies all ~200 members of the API object into a new object of getters. Here
 * every import of `vscode` resolves to one module, `export * from 'vscode'`, which copies them once.
 * Behaviour is unchanged: the members are still getters reading the API object, and nothing imports a
 * `default` from 'vscode'.
 */
const vscodeNamespaceOncePlugin = {
  name: 'vscode-namespace-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-namespace' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-namespace' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-namespace' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * The activation shell reaches the features only through `require('./features.js')` at run time: any
 * import of undici, zod or jose from the shell's modules is a build error, so the features cannot creep
 * back into what every window compiles at activation (`import type` is erased and fine).
 */
const shellOnlyPlugin = {
  name: 'shell-only',
  setup(build) {
    build.onResolve({ filter: /^(undici|zod|jose)(\/|$)/ }, (args) => ({
      errors: [
        {
          text: `${args.importer} imports '${args.path}': the activation shell (src/extension.ts, src/shell/) loads the features bundle for that.`,
        },
      ],
    }));
  },
};

const webviewEntries = fs
  .readdirSync(path.join(__dirname, 'src', 'webview'))
  .filter((f) => /^[a-z][\w-]*\.ts$/.test(f) && !f.endsWith('.d.ts'))
  .map((f) => path.join('src', 'webview', f));

/**
 * What every bundle shares: bundled, minified and without source maps for production, the problem
 * matcher's messages when watching.
 * @returns {import('esbuild').BuildOptions & { plugins: import('esbuild').Plugin[] }}
 */
function sharedOptions({ production, watch }) {
  return {
    absWorkingDir: __dirname,
    bundle: true,
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    plugins: watch ? [problemMatcherPlugin] : [],
  };
}

/** The extension host's Node (and the emulator's). */
const NODE_TARGET = { platform: 'node', target: 'node20', format: 'cjs' };

/**
 * Build options of dist/extension.js (the activation shell), dist/features.js (which it loads on first
 * use), dist/undici.js (which the features load on the first request) and dist/zodCompiler.js (with the
 * first client list); `outdir` holds all four. The benchmarks build them, and an empty extension to
 * compare with, with exactly these.
 * @returns {{ extension: import('esbuild').BuildOptions, features: import('esbuild').BuildOptions, undici: import('esbuild').BuildOptions, zodCompiler: import('esbuild').BuildOptions }}
 */
function runtimeBundleOptions({ production, watch, outdir = 'dist' }) {
  const shared = sharedOptions({ production, watch });
  /** @type {import('esbuild').BuildOptions} */
  const common = { ...shared, ...NODE_TARGET, legalComments: production ? 'none' : 'inline', metafile: true };
  return {
    extension: {
      ...common,
      entryPoints: ['src/extension.ts'],
      outfile: path.join(outdir, 'extension.js'),
      external: ['vscode'],
      plugins: [shellOnlyPlugin, vscodeNamespaceOncePlugin, ...shared.plugins],
    },
    features: {
      ...common,
      entryPoints: ['src/features.ts'],
      outfile: path.join(outdir, 'features.js'),
      external: ['vscode'],
      plugins: [undiciOnDemandPlugin, zodCompilerOnDemandPlugin, vscodeNamespaceOncePlugin, ...shared.plugins],
    },
    zodCompiler: {
      ...common,
      stdin: {
        contents: "export { compile } from 'zod/v4/core';",
        resolveDir: __dirname,
        sourcefile: 'zod-compiler-for-client-list.js',
        loader: 'js',
      },
      outfile: path.join(outdir, 'zodCompiler.js'),
      plugins: [...shared.plugins],
    },
    undici: {
      ...common,
      stdin: {
        contents: Object.entries(UNDICI_EXPORTS)
          .map(([module, name]) => `exports.${name} = require(${JSON.stringify(module)});`)
          .join('\n'),
        resolveDir: __dirname,
        sourcefile: 'undici-for-pool-registry.js',
        loader: 'js',
      },
      outfile: path.join(outdir, 'undici.js'),
      plugins: [undiciSlimPlugin, ...shared.plugins],
    },
  };
}

/**
 * When packaging (`vsce` runs the `vscode:prepublish` script): the .vsix must ship dist/features.js,
 * dist/undici.js and dist/zodCompiler.js, and .vscodeignore is an allowlist (see scripts/checkVsix.ts).
 */
function checkRuntimeBundlesArePackaged() {
  if (process.env.npm_lifecycle_event !== 'vscode:prepublish') return;
  const lines = fs
    .readFileSync(path.join(__dirname, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim());
  for (const [file, consequence] of [
    ['dist/features.js', 'the packaged extension could run no command'],
    ['dist/undici.js', 'the packaged extension could send no request'],
    ['dist/zodCompiler.js', 'the packaged extension could list no clients'],
  ]) {
    if (!lines.some((l) => l === `!${file}` || l === '!dist/*.js' || l === '!dist/**')) {
      throw new Error(`.vscodeignore does not bring back ${file} (add "!${file}"): ${consequence}.`);
    }
  }
}

/** @type {import('esbuild').BuildOptions[]} */
const runtime = runtimeBundleOptions({ production, watch });
const configs = [
  runtime.extension,
  runtime.undici,
  runtime.features,
  runtime.zodCompiler,
  {
    // The local emulator, loaded only when "Start Local Emulator" runs (never at activation).
    ...sharedOptions({ production, watch }),
    ...NODE_TARGET,
    entryPoints: { emulator: 'emulator/index.ts' },
    outdir: 'dist',
  },
  {
    // The token panels' script (the minter and the token viewer), in the webview's browser.
    ...sharedOptions({ production, watch }),
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    entryPoints: webviewEntries,
    outdir: 'dist/webview',
  },
];

async function main() {
  const contexts = await Promise.all(
    configs.filter((c) => c.stdin || Object.keys(c.entryPoints || {}).length > 0).map((c) => esbuild.context(c)),
  );
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  const results = await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const ext = results[0].metafile && results[0].metafile.outputs['dist/extension.js'];
  const undici = results[1].metafile && results[1].metafile.outputs['dist/undici.js'];
  const features = results[2].metafile && results[2].metafile.outputs['dist/features.js'];
  const zodCompiler = results[3].metafile && results[3].metafile.outputs['dist/zodCompiler.js'];
  if (ext && undici && features && zodCompiler) {
    console.log(
      `dist/extension.js ${(ext.bytes / 1024).toFixed(1)} KB (activation), dist/features.js ${(features.bytes / 1024).toFixed(1)} KB (first use)${production ? ', minified' : ''}, dist/undici.js ${(undici.bytes / 1024).toFixed(1)} KB (first request), dist/zodCompiler.js ${(zodCompiler.bytes / 1024).toFixed(1)} KB (first client list)`,
    );
  }
  checkRuntimeBundlesArePackaged();
  if (features && production && features.bytes > EXTENSION_BUDGET_BYTES) {
    throw new Error(
      `dist/features.js is ${(features.bytes / 1024).toFixed(1)} KB, over its ${EXTENSION_BUDGET_BYTES / 1024} KB budget. ` +
        'See which inputs grew with the metafile (esbuild --analyze), or load the feature on demand.',
    );
  }
  if (ext && production && ext.bytes > SHELL_BUDGET_BYTES) {
    throw new Error(
      `dist/extension.js (the activation shell) is ${(ext.bytes / 1024).toFixed(1)} KB, over its ${SHELL_BUDGET_BYTES / 1024} KB budget: move what grew into the features bundle.`,
    );
  }
}

module.exports = { runtimeBundleOptions, EXTENSION_BUDGET_BYTES, SHELL_BUDGET_BYTES };

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
