/**
 * `node --expose-gc out/bench/memory.js`: heap growth after listing 5,000 clients (into tree items)
 * 20 times. Whatever a listing keeps (request records, pools, caches) must not grow with the number
 * of listings: the heap after full GCs may grow by at most MAX_GROWTH_MB.
 */
import './withVscodeStub';
import { reportResult, round } from './measure';
import { CLIENT_COUNT, startListingFixture } from './listingFixture';

const LISTINGS = 20;
const MAX_GROWTH_MB = 2;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // Several passes: weak references and finalizers release more on a later pass.
  for (let i = 0; i < 4; i++) gc();
}

async function main(): Promise<void> {
  const fixture = await startListingFixture();
  try {
    // The first listings allocate what lives as long as the process (HTTP parser, pools, compiled schemas).
    for (let i = 0; i < 3; i++) await fixture.listThroughExtension();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < LISTINGS; i++) await fixture.listThroughExtension();
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    const after = process.memoryUsage().heapUsed;
    const growthMb = (after - before) / (1024 * 1024);
    reportResult([
      {
        key: 'memory.heapGrowthMb',
        label: `Heap growth after listing ${CLIENT_COUNT.toLocaleString('en')} clients ${LISTINGS} times`,
        value: round(growthMb, 2),
        unit: 'MB',
        max: MAX_GROWTH_MB,
        goal: `≤ ${MAX_GROWTH_MB} MB`,
        details: { heapBeforeMb: round(before / 1048576, 1), heapAfterMb: round(after / 1048576, 1), listings: LISTINGS },
      },
    ]);
  } finally {
    await fixture.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
