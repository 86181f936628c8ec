import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESERVED_CLAIMS, RESERVED_CLAIM_REASONS, isReservedClaim, reservedClaimReason } from '../../src/tokens/reservedClaims';

/** The list on SlashID's "Mint OAuth 2.0 & OIDC tokens" page, copied here so the test runs without the seed. */
const DOCUMENTED = [
  'aud',
  'exp',
  'jti',
  'iat',
  'iss',
  'nbf',
  'sub',
  'prev_token_id',
  'oid',
  'org_id',
  'user_id',
  'person_id',
  'first_token',
  'authenticated_methods',
  'oidc_tokens',
  'user_token',
  'groups',
  'roles',
  'access_token',
  'refresh_token',
  'id',
  'id_token',
  'gdpr',
  'gdpr_consent',
  'gdpr_consent_level',
  'parent_user_id',
  'parent_person_id',
  'parent_org_id',
  'parent_oid',
  'attributes',
  'custom_claims',
  'slashid',
  'slashid.dev',
  'slashid.com',
  'slashid.me',
  'sid',
];

/** out/test/unit -> the repository root; CI checks out ../shared beside the clone. */
const SEED_FILE = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'seeds', 'mint-tokens.txt');

function parseSeed(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith('The following claims are reserved'));
  assert.ok(start >= 0, 'the seed file no longer has the "reserved" sentence');
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const m = /^- (\S+)$/.exec(line);
    if (!m) break;
    names.push(m[1]);
  }
  return names;
}

describe('tokens/reservedClaims', () => {
  it('has the 36 documented names, in order', () => {
    assert.equal(RESERVED_CLAIMS.length, 36);
    assert.deepEqual([...RESERVED_CLAIMS], DOCUMENTED);
    assert.equal(new Set(RESERVED_CLAIMS).size, 36);
  });

  // The seed pages sit beside the clone in CI (../shared/seeds); a clone without them checks the copy above only.
  (fs.existsSync(SEED_FILE) ? it : it.skip)('matches the seed file beside the clone', () => {
    assert.deepEqual(parseSeed(fs.readFileSync(SEED_FILE, 'utf8')), [...RESERVED_CLAIMS]);
  });

  it('gives every name a short reason', () => {
    for (const name of RESERVED_CLAIMS) {
      const reason = reservedClaimReason(name);
      assert.ok(reason && reason.length > 10 && reason.length < 120, name);
      assert.equal(RESERVED_CLAIM_REASONS[name], reason);
    }
    assert.match(reservedClaimReason('exp')!, /access-token duration/);
    assert.match(reservedClaimReason('slashid.dev')!, /SlashID namespace/);
  });

  it('matches exactly and case-sensitively', () => {
    for (const name of RESERVED_CLAIMS) assert.ok(isReservedClaim(name), name);
    for (const near of [
      'Exp',
      'EXP',
      'exp_',
      '_exp',
      ' exp',
      'slashid.dev.x',
      'slashid.de',
      'sids',
      'Sid',
      'toString',
      'constructor',
      '__proto__',
      'hasOwnProperty',
    ]) {
      assert.equal(isReservedClaim(near), false, near);
      assert.equal(reservedClaimReason(near), undefined, near);
    }
  });
});
