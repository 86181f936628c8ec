/** What the user types as the code flow's login hint, and the address pasted from the browser: the checks behind the input boxes. */
import * as assert from 'node:assert/strict';
import { loginHintOf } from '../../src/slashid/personSearch';
import { checkAnswer, checkPastedAddress } from '../../src/slashid/authorizationAnswer';

describe('login hint as people type it', () => {
  it('turns a plain email address, phone number or username into the handle SlashID matches', () => {
    const cases: [string, string][] = [
      ['alice@example.com', 'email_address:alice@example.com'],
      ['  Alice@Example.com ', 'email_address:Alice@Example.com'],
      ['+44 7700 900123', 'phone_number:+447700900123'],
      ['0044 (7700) 900-123', 'phone_number:+447700900123'],
      ['carol', 'username:carol'],
      ['c.arol_2-x', 'username:c.arol_2-x'],
    ];
    for (const [typed, hint] of cases) assert.deepEqual(loginHintOf(typed), { ok: true, hint }, typed);
  });

  it('keeps person IDs and handles already prefixed as they are; blank is no hint', () => {
    assert.deepEqual(loginHintOf('0F8E2A61-3B7C-4D95-8A14-6C2E9B0D7F31'), { ok: true, hint: '0f8e2a61-3b7c-4d95-8a14-6c2e9b0d7f31' });
    for (const handle of ['email_address:alice@example.com', 'phone_number:+447700900123', 'username:carol']) {
      assert.deepEqual(loginHintOf(handle), { ok: true, hint: handle });
    }
    assert.deepEqual(loginHintOf(''), { ok: true });
    assert.deepEqual(loginHintOf('   '), { ok: true });
  });

  it('says what is wrong, in one sentence, for what matches nothing', () => {
    const problem = (typed: string) => {
      const hint = loginHintOf(typed);
      assert.equal(hint.ok, false, typed);
      return hint.ok ? '' : hint.problem;
    };
    assert.match(problem('7700 900123'), /^The login hint looks like a phone number without its country code: type it with a leading \+/);
    assert.match(problem('+44 12'), /^The login hint is not a phone number: with its country code it has 7 to 15 digits/);
    assert.match(
      problem('alice smith'),
      /^The login hint is not an email address, a phone number .*, a person ID or a username; leave it empty/,
    );
    assert.match(
      problem('email:alice@example.com'),
      /^The login hint starts with "email:", which is no handle type; type the plain email address/,
    );
    assert.match(problem('username:  '), /^The login hint has nothing after "username:"; type the username after it/);
    assert.match(problem('x'.repeat(400)), /is longer than 320 characters/);
  });
});

describe('the address pasted from the browser', () => {
  const expected = { state: 'state-0123456789abcdefghijklmnopqrstuvwxyzABCD', issuer: 'http://127.0.0.1:8080/' };
  const address = (query: string) => `http://127.0.0.1:51234/callback?${query}`;

  it('takes the answer of this request: its code (or error), its state, its issuer', () => {
    const taken = checkPastedAddress(
      ` ${address(`code=the-code&state=${expected.state}&iss=${encodeURIComponent('http://127.0.0.1:8080')}`)} `,
      expected,
    );
    assert.ok(taken.ok);
    assert.equal(taken.callback.code, 'the-code');
    const denied = checkPastedAddress(address(`error=access_denied&state=${expected.state}`), expected);
    assert.ok(denied.ok);
    assert.equal(denied.callback.error, 'access_denied');
    assert.ok(checkAnswer(new URLSearchParams(`code=c&state=${expected.state}`), expected).ok);
  });

  it('refuses, in one sentence that never quotes the code: not an address, no code, another state, another issuer', () => {
    const problem = (text: string) => {
      const check = checkPastedAddress(text, expected);
      assert.equal(check.ok, false, text);
      const sentence = check.ok ? '' : check.problem;
      assert.ok(!sentence.includes('secret-code'), `the message quotes the code: ${sentence}`);
      return sentence;
    };
    assert.match(problem(''), /^This is not an address/);
    assert.match(problem('code=secret-code&state=x'), /^This is not an address/);
    assert.match(problem(address(`state=${expected.state}`)), /^This address carries no authorization code/);
    assert.match(problem('http://127.0.0.1:8080/oauth2/authorize?client_id=x'), /carries no authorization code/);
    assert.match(problem(address('code=secret-code')), /^This address answers another sign-in/);
    assert.match(problem(address('code=secret-code&state=forged')), /^This address answers another sign-in/);
    assert.match(problem(address(`code=secret-code&state=${expected.state}&iss=https%3A%2F%2Fevil.example`)), /names another issuer/);
  });
});
