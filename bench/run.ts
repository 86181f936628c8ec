/**
 * `npm run bench`: every benchmark, each in its own Node process, then a table of metric, value, goal
 * and PASS/MISS, and bench/results.json (the previous file's metrics kept as `previous`, with deltas
 * printed). Exits 1 when a goal is missed. Not part of `npm test`.
 *
 * - Bundle: dist/extension.js (and dist/undici.js, which it loads on the first request) as
 *   `node esbuild.js --production` builds them (same options, built here into out/bench/bundle/ so a
 *   concurrent test run's dist/ is left alone); size ≤ 300 KB; and requests through the bundled client
 *   work (bundleSmoke.ts: the trimmed undici is exercised).
 * - Activation (activation.ts), one fresh process per sample, extension and empty extension interleaved.
 * - Listing (listing.ts, the median of 5 processes), memory (memory.ts, --expose-gc), tokens (tokens.ts), claims (claims.ts),
 *   the hover on a 100 MB log file (hover.ts).
 * - Emulator token issuance (emulatorTokens.ts): mint and code exchange by 50 concurrent clients against bare
 *   jose RS256 signatures served by a minimal node:http handler (throughput ≥ 0.8×).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { RESULT_PREFIX, median, round, type Metric } from './measure';
import { vscodeApiNames } from './vscodeStub';

const ROOT = path.resolve(__dirname, '..', '..');
const BUNDLE_DIR = path.join(ROOT, 'out', 'bench', 'bundle');
const RESULTS_FILE = path.join(ROOT, 'bench', 'results.json');
const ACTIVATION_PAIRS = 21;
/** Listing runs, each a fresh process of 21 interleaved rounds: where garbage collections land differs from one process to the next. */
const LISTING_RUNS = 5;

interface EsbuildScript {
  runtimeBundleOptions(options: { production: boolean; watch: boolean; outdir: string }): {
    extension: BuildOptions;
    features: BuildOptions;
    undici: BuildOptions;
    zodCompiler: BuildOptions;
  };
  EXTENSION_BUDGET_BYTES: number;
  SHELL_BUDGET_BYTES: number;
}

interface StoredMetric extends Omit<Metric, 'key'> {
  readonly pass: boolean;
}

interface ResultsFile {
  readonly generatedAt: string;
  readonly environment: Record<string, string | number>;
  readonly metrics: Record<string, StoredMetric>;
  readonly previous?: Omit<ResultsFile, 'previous'>;
}

/** Runs `node [nodeArgs] out/bench/<script>.js [args]` and returns what it reported. */
function runBenchmarkProcess<T>(script: string, args: string[] = [], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(__dirname, `${script}.js`), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${script}.js ${args.join(' ')} failed (${signal ?? `exit ${code}`})${stdout ? `:\n${stdout}` : ''}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}

async function buildBundles(): Promise<{ extension: string; empty: string; metrics: Metric[] }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const script = require(path.join(ROOT, 'esbuild.js')) as EsbuildScript;
  const options = script.runtimeBundleOptions({ production: true, watch: false, outdir: BUNDLE_DIR });
  const extension = path.join(BUNDLE_DIR, 'extension.js');
  const empty = path.join(BUNDLE_DIR, 'empty-extension.js');
  const [built, features, undici] = await Promise.all([
    esbuild.build(options.extension),
    esbuild.build(options.features),
    esbuild.build(options.undici),
    esbuild.build(options.zodCompiler),
  ]);
  const { entryPoints: _entryPoints, ...emptyOptions } = options.extension;
  await esbuild.build({
    ...emptyOptions,
    stdin: {
      contents: 'export function activate(_context: unknown): void {}\nexport function deactivate(): void {}\n',
      loader: 'ts',
      resolveDir: path.join(ROOT, 'src'),
      sourcefile: 'emptyExtension.ts',
    },
    outfile: empty,
  });
  const shellBytes = outputBytes(built.metafile, extension);
  const bytes = outputBytes(features.metafile, path.join(BUNDLE_DIR, 'features.js'));
  const undiciBytes = outputBytes(undici.metafile, path.join(BUNDLE_DIR, 'undici.js'));
  return {
    extension,
    empty,
    metrics: [
      {
        key: 'bundle.sizeKb',
        label: 'dist/features.js (loaded on first use), minified (node esbuild.js --production)',
        value: round(bytes / 1024, 1),
        unit: 'KB',
        max: script.EXTENSION_BUDGET_BYTES / 1024,
        goal: `≤ ${script.EXTENSION_BUDGET_BYTES / 1024} KB`,
        details: {
          bytes,
          srcKb: round(inputBytes(features.metafile, /^src[\\/]/) / 1024, 1),
          zodKb: round(inputBytes(features.metafile, /node_modules[\\/]zod[\\/]/) / 1024, 1),
          joseKb: round(inputBytes(features.metafile, /node_modules[\\/]jose[\\/]/) / 1024, 1),
          undiciOnFirstRequestKb: round(undiciBytes / 1024, 1),
        },
      },
      {
        key: 'bundle.shellKb',
        label: 'dist/extension.js, the activation shell, minified',
        value: round(shellBytes / 1024, 1),
        unit: 'KB',
        max: script.SHELL_BUDGET_BYTES / 1024,
        goal: `≤ ${script.SHELL_BUDGET_BYTES / 1024} KB`,
        details: { bytes: shellBytes },
      },
    ],
  };
}

function outputBytes(metafile: Metafile | undefined, file: string): number {
  const key = Object.keys(metafile?.outputs ?? {}).find((k) => path.resolve(ROOT, k) === file);
  if (!key) throw new Error(`esbuild reported no output ${file}`);
  return metafile!.outputs[key].bytes;
}

function inputBytes(metafile: Metafile | undefined, pattern: RegExp): number {
  const output = Object.values(metafile?.outputs ?? {})[0];
  return Object.entries(output.inputs)
    .filter(([file]) => pattern.test(file))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
}

async function bundleSmoke(bundle: string): Promise<Metric[]> {
  const { checks } = await runBenchmarkProcess<{ checks: Record<string, boolean> }>('bundleSmoke', [bundle]);
  const failed = Object.entries(checks).filter(([, ok]) => !ok);
  return [
    {
      key: 'bundle.requestFailures',
      label: 'Requests through the bundled client (GET, POST, PUT, DELETE)',
      value: failed.length,
      unit: 'failed',
      max: 0,
      goal: 'none fail',
      details: { checks: Object.keys(checks).length, ...Object.fromEntries(failed.map(([name]) => [name, 'failed'])) },
    },
  ];
}

interface ActivationSample {
  loadActivateMs: number;
  hostReadyMs: number;
  connects: number;
  lookups: number;
}

/**
 * Fresh processes, extension and empty extension alternately (order flipped each pair). The ratio is
 * that of a host-like process from its start until `activate()` returns: Node's start-up plus the
 * host's built-ins and API (`hostReadyMs`, the same for both: measured before the bundle is touched,
 * so its median over all samples is used) plus load + activate of the bundle (median per bundle).
 * (Load + activate alone would compare ~10 ms with the empty bundle's ~0.3 ms: ~40× whatever the
 * extension does.) The host-like start-up is the smallest a real one could be (a real extension host
 * has loaded far more than Node, its built-ins and the API object), so this ratio is an upper bound.
 */
async function activation(extension: string, empty: string): Promise<Metric[]> {
  const ext: ActivationSample[] = [];
  const none: ActivationSample[] = [];
  for (let i = 0; i < ACTIVATION_PAIRS; i++) {
    const order: [string, ActivationSample[]][] = [
      [extension, ext],
      [empty, none],
    ];
    if (i % 2) order.reverse();
    for (const [bundle, samples] of order) samples.push(await runBenchmarkProcess<ActivationSample>('activation', [bundle]));
  }
  const host = median([...ext, ...none].map((s) => s.hostReadyMs));
  const extMs = median(ext.map((s) => s.loadActivateMs));
  const emptyMs = median(none.map((s) => s.loadActivateMs));
  const network = ext.reduce((sum, s) => sum + s.connects + s.lookups, 0);
  return [
    {
      key: 'activation.ratio',
      label: 'Activation: process start → activate() returned, extension vs empty extension',
      value: round((host + extMs) / (host + emptyMs)),
      unit: '×',
      max: 1.1,
      goal: '≤ 1.1× (issue 14)',
      details: {
        extensionLoadActivateMs: round(extMs, 2),
        emptyLoadActivateMs: round(emptyMs, 2),
        hostReadyMs: round(host, 1),
        samplesEach: ext.length,
      },
    },
    {
      key: 'activation.networkUse',
      label: 'Sockets opened + DNS lookups during activation',
      value: network,
      unit: '',
      max: 0,
      goal: 'none',
      details: { samples: ext.length },
    },
  ];
}

/** The listing ratio: the median of `LISTING_RUNS` fresh processes' ratios, with their spread. */
async function listing(): Promise<Metric[]> {
  const runs: Metric[] = [];
  for (let i = 0; i < LISTING_RUNS; i++) {
    const [metric] = await runBenchmarkProcess<Metric[]>('listing');
    runs.push(metric);
  }
  const ratios = runs.map((m) => m.value);
  const detail = (key: string) => round(median(runs.map((m) => Number(m.details?.[key]))), 2);
  return [
    {
      ...runs[0],
      value: round(median(ratios)),
      details: {
        extensionMs: detail('extensionMs'),
        floorMs: detail('floorMs'),
        runs: runs.length,
        lowest: Math.min(...ratios),
        highest: Math.max(...ratios),
        roundsEach: Number(runs[0].details?.rounds),
      },
    },
  ];
}

function readPrevious(): Omit<ResultsFile, 'previous'> | undefined {
  try {
    const { previous: _previous, ...last } = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as ResultsFile;
    return last;
  } catch {
    return undefined;
  }
}

function formatValue(value: number, unit: string): string {
  return `${value.toLocaleString('en', { maximumFractionDigits: 3 })}${unit === '×' ? '×' : unit ? ` ${unit}` : ''}`;
}

function formatDelta(metric: Metric, previous: StoredMetric | undefined): string {
  if (!previous) return 'new';
  const delta = metric.value - previous.value;
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  const percent = previous.value !== 0 ? ` (${sign}${Math.abs((delta / previous.value) * 100).toFixed(0)}%)` : '';
  return `${sign}${formatValue(round(Math.abs(delta)), metric.unit)}${percent}`;
}

function printTable(metrics: Metric[], previous: ResultsFile['metrics'] | undefined): void {
  const rows = metrics.map((m) => [
    m.label,
    formatValue(m.value, m.unit),
    m.goal,
    m.value <= m.max ? 'PASS' : 'MISS',
    formatDelta(m, previous?.[m.key]),
  ]);
  const header = ['Metric', 'Value', 'Goal', 'Result', 'Δ vs last run'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const started = Date.now();
  const metrics: Metric[] = [];
  const step = async (name: string, run: () => Promise<Metric[]>) => {
    const t = Date.now();
    const result = await run();
    metrics.push(...result);
    for (const m of result) {
      const details = m.details
        ? `  ${Object.entries(m.details)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '';
      console.log(`${name}: ${m.key} = ${formatValue(m.value, m.unit)}${details}`);
    }
    console.log(`${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };

  vscodeApiNames(); // fills its cache before the benchmark processes start
  const bundles = await buildBundles();
  await step('bundle', () => Promise.resolve(bundles.metrics));
  await step('bundle', () => bundleSmoke(bundles.extension));
  await step('activation', () => activation(bundles.extension, bundles.empty));
  await step('listing', listing);
  await step('memory', () => runBenchmarkProcess<Metric[]>('memory', [], ['--expose-gc']));
  await step('tokens', () => runBenchmarkProcess<Metric[]>('tokens'));
  await step('hover', () => runBenchmarkProcess<Metric[]>('hover'));
  await step('claims', () => runBenchmarkProcess<Metric[]>('claims'));
  await step('emulator', () => runBenchmarkProcess<Metric[]>('emulatorTokens'));

  const previous = readPrevious();
  printTable(metrics, previous?.metrics);
  const results: ResultsFile = {
    generatedAt: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAverage1m: round(os.loadavg()[0], 2),
    },
    metrics: Object.fromEntries(metrics.map(({ key, ...m }) => [key, { ...m, pass: m.value <= m.max }])),
    ...(previous ? { previous } : {}),
  };
  // Written whole or not at all: a run stopped halfway must not leave a broken file for the next one.
  fs.writeFileSync(`${RESULTS_FILE}.tmp`, `${JSON.stringify(results, null, 2)}\n`);
  fs.renameSync(`${RESULTS_FILE}.tmp`, RESULTS_FILE);
  const missed = metrics.filter((m) => m.value > m.max);
  console.log(
    `\n${metrics.length - missed.length}/${metrics.length} goals met in ${((Date.now() - started) / 1000).toFixed(0)} s` +
      `${previous ? ` (Δ against the run of ${previous.generatedAt})` : ''}; wrote ${path.relative(ROOT, RESULTS_FILE)}.`,
  );
  if (missed.length > 0) {
    console.log(`MISSED: ${missed.map((m) => m.key).join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
