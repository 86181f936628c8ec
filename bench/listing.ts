/**
 * `node out/bench/listing.js`: 5,000 clients from the emulator through `SlashIdClient.listClients()`
 * into tree items, against undici `request` + `JSON.parse` of the same response (goal ≤ 1.3×).
 */
import './withVscodeStub';
import { compareInterleaved, reportResult, round } from './measure';
import { CLIENT_COUNT, startListingFixture } from './listingFixture';

async function main(): Promise<void> {
  const fixture = await startListingFixture();
  try {
    const result = await compareInterleaved({ rounds: 21, warmup: 4, subject: fixture.listThroughExtension, floor: fixture.fetchFloor });
    reportResult([
      {
        key: 'listing.ratio',
        label: `Listing ${CLIENT_COUNT.toLocaleString('en')} clients → tree items vs undici+JSON.parse`,
        value: round(result.ratio),
        unit: '×',
        max: 1.3,
        goal: '≤ 1.3×',
        details: { extensionMs: round(result.subjectMedian, 2), floorMs: round(result.floorMedian, 2), rounds: result.subject.length },
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
