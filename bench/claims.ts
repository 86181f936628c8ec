/**
 * `node out/bench/claims.js`: `validateCustomClaims` on a 10 KB claims document, the size a user may
 * paste into the minter (it runs on every keystroke). Goal: under 1 ms per run; reported in µs.
 */
import { validateCustomClaims } from '../src/tokens/claims';
import { median, nowMs, reportResult, round } from './measure';

const TARGET_BYTES = 10 * 1024;

/** Nested objects and arrays, strings with escapes and non-ASCII text, numbers, booleans, nulls. */
function claimsDocument(): string {
  const claims: Record<string, unknown> = {
    tenant: { id: 'c0ffee00-1234-4abc-9def-000000000001', name: 'Acme “Blue” Team', region: 'europe-belgium' },
    permissions: ['admin', 'billing:read', 'billing:write'],
  };
  for (let i = 0; claimsSize(claims) < TARGET_BYTES; i++) {
    claims[`feature_${i}`] = {
      enabled: i % 2 === 0,
      rollout: (i * 7.5) % 100,
      owner: { email: `owner${i}@example.com`, note: `Line one\nline "two" — ünïcødé ${i}` },
      tags: ['alpha', 'beta', `t${i}`],
      limits: [i, i * 10, null],
    };
  }
  return JSON.stringify(claims, null, 2); // just over 10 KB, pretty-printed as a user would write it
}

function claimsSize(claims: unknown): number {
  return Buffer.byteLength(JSON.stringify(claims, null, 2), 'utf8');
}

function main(): void {
  const text = claimsDocument();
  const check = validateCustomClaims(text);
  if (!check.ok) throw new Error(`the benchmark document should be valid: ${check.problems[0]?.message}`);
  const perBatch = 200;
  for (let i = 0; i < perBatch * 3; i++) validateCustomClaims(text); // warm up
  const samples: number[] = [];
  for (let batch = 0; batch < 25; batch++) {
    const start = nowMs();
    for (let i = 0; i < perBatch; i++) validateCustomClaims(text);
    samples.push(((nowMs() - start) * 1000) / perBatch);
  }
  reportResult([
    {
      key: 'claims.usPerRun',
      label: `validateCustomClaims on a ${(Buffer.byteLength(text, 'utf8') / 1024).toFixed(1)} KB claims document`,
      value: round(median(samples), 1),
      unit: 'µs',
      max: 1000,
      goal: '< 1,000 µs',
      details: {
        bytes: Buffer.byteLength(text, 'utf8'),
        batches: samples.length,
        runsPerBatch: perBatch,
        bestUs: round(Math.min(...samples), 1),
      },
    },
  ]);
}

main();
