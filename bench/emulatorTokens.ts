/**
 * `node out/bench/emulatorTokens.js`: token issuance throughput of the emulator against a floor, in
 * one process. 50 concurrent clients (each a loop of requests over keep-alive) send the same number
 * of requests to (a) the emulator's `POST /oauth2/tokens/mint` and (b) its `POST /oauth2/tokens`
 * authorization-code exchange (codes made beforehand, untimed, with PKCE), and to (c) a minimal
 * `node:http` handler that reads the body and answers one bare jose RS256 signature of a payload the
 * same size. Each issued token costs the emulator exactly one RS256 signature too (no `openid`, no
 * refresh token), so the ratio is the emulator's own overhead. Goal: throughput ≥ 0.8× the floor,
 * i.e. time ≤ 1.25× the floor's.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, generateKeyPair } from 'jose';
import { Agent, request } from 'undici';
import { startEmulator } from '../emulator/index';
import { compareInterleaved, reportResult, round, type Metric } from './measure';

const CLIENTS = 50;
const REQUESTS_PER_RUN = 1_000;
const ROUNDS = 7;
const ORG = 'be4c0000-0000-4000-8000-000000000001';
const API_KEY = 'bench-emulator-key';
const PERSON = 'be4c0000-0000-4000-8000-0000000000a1';
const CLIENT = 'be4c0000-0000-4000-8000-0000000000c1';
const SECRET = 'bench-client-secret';
const REDIRECT = 'http://127.0.0.1/callback';

const dispatcher = new Agent({ connections: CLIENTS, pipelining: 1, keepAliveTimeout: 30_000 });

/** `count` requests by `CLIENTS` concurrent loops; each `send(i)` must resolve to true. */
async function concurrently(count: number, send: (i: number) => Promise<boolean>): Promise<void> {
  let next = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < count) {
        const i = next++;
        if (!(await send(i))) failed++;
      }
    }),
  );
  if (failed > 0) throw new Error(`${failed} of ${count} requests failed`);
}

async function ok(res: Awaited<ReturnType<typeof request>>): Promise<boolean> {
  const text = await res.body.text();
  return res.statusCode === 200 && text.includes('access_token');
}

/** The floor: a bare node:http handler that reads the body and answers one RS256 signature. */
async function startFloor(): Promise<{ url: string; server: Server }> {
  const { privateKey } = await generateKeyPair('RS256');
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const iat = Math.floor(Date.now() / 1000);
      void new SignJWT({
        authenticated_methods: ['api'],
        exp: iat + 3600,
        first_token: false,
        iat,
        iss: 'http://127.0.0.1:4010',
        jti: randomUUID(),
        oid: ORG,
        person_id: PERSON,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'floor', typ: 'JWT' })
        .sign(privateKey)
        .then((token) => {
          const body = JSON.stringify({ result: { access_token: token } });
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
          res.end(body);
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function main(): Promise<void> {
  const emulator = await startEmulator({
    seed: {
      orgs: [{ id: ORG, api_key: API_KEY }],
      persons: [{ person_id: PERSON, org_id: ORG, handles: [{ type: 'email_address', value: 'bench@example.com' }] }],
      clients: [
        {
          client_id: CLIENT,
          client_secret: SECRET,
          client_name: 'Bench web app',
          grant_types: ['authorization_code'],
          scopes: ['orders:read'],
          redirect_uris: [REDIRECT],
          access_token_duration: 3600,
        },
      ],
    },
  });
  const floor = await startFloor();
  const mintBody = JSON.stringify({ person_id: PERSON, client_id: CLIENT, scopes: ['orders:read'] });
  const mintHeaders = { 'SlashID-OrgID': ORG, 'SlashID-API-Key': API_KEY, 'Content-Type': 'application/json' };
  const formHeaders = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Authorization: `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}`,
  };

  const runFloor = () =>
    concurrently(REQUESTS_PER_RUN, async () =>
      ok(await request(`${floor.url}/sign`, { method: 'POST', headers: mintHeaders, body: mintBody, dispatcher })),
    );
  const runMint = () =>
    concurrently(REQUESTS_PER_RUN, async () =>
      ok(await request(`${emulator.url}/oauth2/tokens/mint`, { method: 'POST', headers: mintHeaders, body: mintBody, dispatcher })),
    );

  /** Codes for one exchange run (made untimed, just before it: codes live 60 seconds). */
  let codes: { code: string; verifier: string }[] = [];
  const makeCodes = () => {
    const made: { code: string; verifier: string }[] = [];
    return concurrently(REQUESTS_PER_RUN, async () => {
      const verifier = randomBytes(32).toString('base64url');
      const query = new URLSearchParams({
        response_type: 'code',
        client_id: CLIENT,
        redirect_uri: REDIRECT,
        scope: 'orders:read',
        login_hint: PERSON,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      });
      const res = await request(`${emulator.url}/oauth2/authorize?${query.toString()}`, { dispatcher });
      await res.body.dump();
      const code = new URL(String(res.headers.location)).searchParams.get('code');
      if (code) made.push({ code, verifier });
      return res.statusCode === 302 && code !== null;
    }).then(() => {
      codes = made;
    });
  };
  const runExchange = () =>
    concurrently(REQUESTS_PER_RUN, async (i) => {
      const { code, verifier } = codes[i];
      const body = new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }).toString();
      return ok(await request(`${emulator.url}/oauth2/tokens`, { method: 'POST', headers: formHeaders, body, dispatcher }));
    });

  const mint = await compareInterleaved({ rounds: ROUNDS, warmup: 1, subject: runMint, floor: runFloor });
  // The exchange's codes are made first, untimed; then exchange and floor are timed, the order flipped every round.
  const exchangeTimes: number[] = [];
  const floorTimes: number[] = [];
  const time = async (run: () => Promise<void>) => {
    const start = performance.now();
    await run();
    return performance.now() - start;
  };
  for (let round = 0; round < ROUNDS + 1; round++) {
    await makeCodes();
    let exchangeMs: number;
    let floorMs: number;
    if (round % 2 === 0) {
      exchangeMs = await time(runExchange);
      floorMs = await time(runFloor);
    } else {
      floorMs = await time(runFloor);
      exchangeMs = await time(runExchange);
    }
    if (round > 0) {
      exchangeTimes.push(exchangeMs);
      floorTimes.push(floorMs);
    }
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const exchangeRatio = median(exchangeTimes) / median(floorTimes);

  const metric = (key: string, label: string, ratio: number, subjectMs: number, floorMs: number): Metric => ({
    key,
    label,
    value: round(ratio),
    unit: '×',
    max: 1.25,
    goal: '≤ 1.25× (throughput ≥ 0.8×)',
    details: {
      emulatorTokensPerSecond: Math.round((REQUESTS_PER_RUN * 1000) / subjectMs),
      floorTokensPerSecond: Math.round((REQUESTS_PER_RUN * 1000) / floorMs),
      throughputVsFloor: round(floorMs / subjectMs),
      clients: CLIENTS,
      requests: REQUESTS_PER_RUN,
      rounds: ROUNDS,
    },
  });
  reportResult([
    metric(
      'emulator.mintTime',
      `Emulator mint, ${REQUESTS_PER_RUN.toLocaleString('en')} tokens by ${CLIENTS} clients: time vs bare jose RS256 over node:http`,
      mint.ratio,
      mint.subjectMedian,
      mint.floorMedian,
    ),
    metric(
      'emulator.codeExchangeTime',
      `Emulator code exchange, ${REQUESTS_PER_RUN.toLocaleString('en')} tokens by ${CLIENTS} clients: time vs bare jose RS256 over node:http`,
      exchangeRatio,
      median(exchangeTimes),
      median(floorTimes),
    ),
  ]);
  await dispatcher.close();
  await emulator.close();
  await new Promise((resolve) => floor.server.close(resolve));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
