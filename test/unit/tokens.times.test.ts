import * as assert from 'node:assert/strict';
import {
  describeTimeClaim,
  describeTimeClaims,
  formatDuration,
  isoFromSeconds,
  localFromSeconds,
  numericDateProblem,
  relativeTime,
  tokenLifetime,
} from '../../src/tokens/times';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0); // 2024-05-01T12:00:00Z
const NOW_S = NOW / 1000;
const UTC = { locale: 'en-US', timeZone: 'UTC' };

describe('tokens/times', () => {
  it('formats durations in human units', () => {
    assert.equal(formatDuration(0), '0 s');
    assert.equal(formatDuration(45), '45 s');
    assert.equal(formatDuration(60), '1 min');
    assert.equal(formatDuration(90), '1 min 30 s');
    assert.equal(formatDuration(3600), '1 h');
    assert.equal(formatDuration(5400), '1 h 30 min');
    assert.equal(formatDuration(82_800), '23 h');
    assert.equal(formatDuration(86_400), '1 day');
    assert.equal(formatDuration(90_000), '1 day 1 h');
    assert.equal(formatDuration(86_400 + 300), '1 day'); // the second unit is hours, zero here
    assert.equal(formatDuration(172_800), '2 days');
    assert.equal(formatDuration(864_000), '10 days');
    assert.equal(formatDuration(-300), '5 min');
    assert.equal(formatDuration(59.6), '1 min');
    assert.equal(formatDuration(Infinity), 'forever');
  });

  it('formats ISO UTC without milliseconds for whole seconds', () => {
    assert.equal(isoFromSeconds(NOW_S), '2024-05-01T12:00:00Z');
    assert.equal(isoFromSeconds(NOW_S + 0.5), '2024-05-01T12:00:00.500Z');
  });

  it('formats local time with the time zone name', () => {
    assert.equal(localFromSeconds(NOW_S, UTC), 'May 1, 2024, 12:00:00 PM UTC');
    assert.match(localFromSeconds(NOW_S, { locale: 'en-US', timeZone: 'Europe/Berlin' }), /2:00:00 PM GMT\+2/);
    assert.match(localFromSeconds(NOW_S, { locale: 'en-US', timeZone: 'America/New_York' }), /8:00:00 AM EDT/);
  });

  it('says how each claim relates to now', () => {
    assert.equal(relativeTime('exp', NOW_S + 23 * 3600, NOW), 'expires in 23 h');
    assert.equal(relativeTime('exp', NOW_S - 300, NOW), 'expired 5 min ago');
    assert.equal(relativeTime('exp', NOW_S, NOW), 'expired just now');
    assert.equal(relativeTime('exp', NOW_S + 0.5, NOW), 'expires in less than a second');
    assert.equal(relativeTime('iat', NOW_S - 120, NOW), 'issued 2 min ago');
    assert.equal(relativeTime('iat', NOW_S + 120, NOW), 'issued 2 min in the future (check the clocks)');
    assert.equal(relativeTime('nbf', NOW_S + 180, NOW), 'not valid for another 3 min');
    assert.equal(relativeTime('nbf', NOW_S - 180, NOW), 'valid since 3 min ago');
    assert.equal(relativeTime('auth_time', NOW_S - 86_400 * 2, NOW), 'authenticated 2 days ago');
    assert.equal(relativeTime('exp', NOW_S + 864_000, new Date(NOW)), 'expires in 10 days');
  });

  it('describes the time claims of a payload with a fixed now', () => {
    const payload = { exp: NOW_S + 86_400, iat: NOW_S - 60, nbf: NOW_S - 60, auth_time: NOW_S - 3600, sub: 'p1' };
    const { times, problems } = describeTimeClaims(payload, { now: NOW, ...UTC });
    assert.deepEqual(problems, []);
    assert.deepEqual(
      times.map((t) => [t.claim, t.iso, t.relative, t.inFuture]),
      [
        ['exp', '2024-05-02T12:00:00Z', 'expires in 1 day', true],
        ['iat', '2024-05-01T11:59:00Z', 'issued 1 min ago', false],
        ['nbf', '2024-05-01T11:59:00Z', 'valid since 1 min ago', false],
        ['auth_time', '2024-05-01T11:00:00Z', 'authenticated 1 h ago', false],
      ],
    );
    assert.equal(times[0].local, 'May 2, 2024, 12:00:00 PM UTC');
    assert.deepEqual(describeTimeClaim('exp', NOW_S - 10, { now: NOW, ...UTC }).relative, 'expired 10 s ago');
  });

  it('reports time claims that are not NumericDates', () => {
    const { times, problems } = describeTimeClaims({ exp: '1714564800', iat: null, nbf: NOW * 1, auth_time: Number.NaN }, { now: NOW });
    assert.deepEqual(times, []);
    assert.deepEqual(
      problems.map((p) => p.claim),
      ['exp', 'iat', 'nbf', 'auth_time'],
    );
    assert.match(problems[0].message, /got a string/);
    assert.match(problems[1].message, /got null/);
    assert.match(problems[2].message, /milliseconds/);
    assert.match(problems[3].message, /NaN/);
    assert.equal(numericDateProblem('exp', NOW_S), undefined);
    assert.match(numericDateProblem('exp', 1e300)!, /out of range/);
  });

  it('computes the lifetime', () => {
    assert.equal(tokenLifetime({ iat: 100, exp: 86_500 }), 86_400);
    assert.equal(tokenLifetime({ exp: 1 }), undefined);
  });
});
