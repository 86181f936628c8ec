/** A server 400 to a mint, as problems of the minter's claims list (placed on the claims it names). */
import * as assert from 'node:assert/strict';
import { serverProblems } from '../../src/minter/serverProblems';
import { parseHostMessage } from '../../src/tokenPanels/protocol';

describe('minter protocol: server problems', () => {
  const text = '{\n  "team": "blue",\n  "a": 1,\n  "region": {"team": 2}\n}';

  it('places a problem on each claim the API message names', () => {
    const problems = serverProblems(['Invalid custom_claims: team and region are not allowed here.'], 'Minting tokens failed: 400.', text, [
      'team',
      'a',
      'region',
    ]);
    assert.deepEqual(
      problems.map((p) => [p.claim, p.line, p.column, p.offset, p.length]),
      [
        ['team', 2, 3, 4, 6],
        ['region', 4, 3, 32, 8],
      ],
    );
    assert.ok(problems.every((p) => p.code === 'server' && p.message.includes('Minting tokens failed: 400.')));
  });

  it('does not take a short claim name for a word of the message, unless it is quoted', () => {
    assert.equal(serverProblems(['must be a JSON object'], 's', text, ['a'])[0].claim, undefined);
    assert.equal(serverProblems(['claim "a" is not allowed'], 's', text, ['a'])[0].claim, 'a');
  });

  it('gives one unplaced problem when no claim is named', () => {
    assert.deepEqual(serverProblems(['Invalid scopes: the client does not allow "openid".'], 'Minting failed.', text, ['team']), [
      { code: 'server', message: 'Minting failed.' },
    ]);
    assert.deepEqual(serverProblems([], 'Minting failed.', '', []), [{ code: 'server', message: 'Minting failed.' }]);
  });

  it('answers problems the webview accepts', () => {
    const problems = serverProblems(['team'], 'x', text, ['team']);
    assert.ok(parseHostMessage({ type: 'reply', requestId: 1, reply: { kind: 'mintRejected', message: 'x', problems } }).ok);
  });
});
