/**
 * `node out/bench/tokens.js`: decode and verify 10,000 RS256 tokens through the tokens core
 * (`verifyWithKeySet`) against bare `jose.jwtVerify` with the same local key set (goal ≤ 1.2×).
 *
 * 1,000 distinct tokens (signing is the slow part of making them) are each verified 10 times per run;
 * jose caches no verification result, so every call does the whole decode + signature + claims work.
 */
import { SignJWT, createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { verifyWithKeySet } from '../src/tokens/verification';
import { compareInterleaved, reportResult, round } from './measure';

const DISTINCT_TOKENS = 1_000;
const TOKENS_PER_RUN = 10_000;
const ISSUER = 'http://127.0.0.1:4010';

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-key-1', alg: 'RS256', use: 'sig' };
  // Another key in the set, as after a rotation: resolving the key has to pick by kid.
  const other = await generateKeyPair('RS256', { extractable: true });
  const keySet = createLocalJWKSet({
    keys: [{ ...(await exportJWK(other.publicKey)), kid: 'bench-key-0', alg: 'RS256', use: 'sig' }, jwk],
  });

  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < DISTINCT_TOKENS; i++) {
    tokens.push(
      await new SignJWT({ scp: ['openid', 'profile', `api:${i % 7}`], client_id: `client-${i % 50}`, team: i % 2 ? 'blue' : 'red', n: i })
        .setProtectedHeader({ alg: 'RS256', kid: 'bench-key-1', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setSubject(`person-${i}`)
        .setAudience('bench-api')
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + 3600)
        .setJti(`jti-${i}`)
        .sign(privateKey),
    );
  }

  let valid = 0;
  const subject = async () => {
    for (let i = 0; i < TOKENS_PER_RUN; i++) {
      const result = await verifyWithKeySet(tokens[i % DISTINCT_TOKENS], keySet, { issuer: ISSUER, audience: 'bench-api' });
      if (result.verdict === 'valid') valid++;
    }
  };
  let floorValid = 0;
  const floor = async () => {
    for (let i = 0; i < TOKENS_PER_RUN; i++) {
      const { payload } = await jwtVerify(tokens[i % DISTINCT_TOKENS], keySet, { issuer: ISSUER, audience: 'bench-api' });
      if (payload.iss === ISSUER) floorValid++;
    }
  };
  const result = await compareInterleaved({ rounds: 7, warmup: 1, subject, floor });
  if (valid !== floorValid || valid !== (7 + 1) * TOKENS_PER_RUN) {
    throw new Error(
      `verified ${valid} tokens through the tokens core and ${floorValid} with jose; expected ${(7 + 1) * TOKENS_PER_RUN} each`,
    );
  }
  reportResult([
    {
      key: 'tokens.ratio',
      label: `Verify ${TOKENS_PER_RUN.toLocaleString('en')} RS256 tokens: verifyWithKeySet vs jose.jwtVerify`,
      value: round(result.ratio),
      unit: '×',
      max: 1.2,
      goal: '≤ 1.2×',
      details: {
        coreMs: round(result.subjectMedian, 1),
        joseMs: round(result.floorMedian, 1),
        coreUsPerToken: round((result.subjectMedian * 1000) / TOKENS_PER_RUN, 2),
        rounds: result.subject.length,
      },
    },
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
