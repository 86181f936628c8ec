/** The one-shot loopback redirect listener (RFC 8252 §7.3) and the ID-token nonce / at_hash checks, over real loopback HTTP. */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import {
  LoopbackCancelledError,
  forwardedRedirectUri,
  LoopbackTimeoutError,
  isLoopbackRedirectUri,
  sameSecret,
  startLoopbackRedirect,
  withPort,
} from '../../src/slashid/loopbackRedirect';
import { accessTokenHash, checkAccessTokenHash, checkNonce } from '../../src/tokens/idTokenChecks';

describe('loopback redirect listener', () => {
  it('takes one callback on its path, answers a page without the code, and closes', async () => {
    const listener = await startLoopbackRedirect('/callback', 's1');
    const base = `http://127.0.0.1:${listener.port}`;
    const waiting = listener.wait(5_000);
    const other = await fetch(`${base}/elsewhere?code=x`);
    assert.equal(other.status, 404);
    const post = await fetch(`${base}/callback?code=x`, { method: 'POST' });
    assert.equal(post.status, 404);
    const page = await fetch(`${base}/callback?code=the-code-123&state=s1&iss=http%3A%2F%2Fi`);
    assert.equal(page.status, 200);
    const text = await page.text();
    assert.match(text, /return to VS Code/);
    assert.ok(!text.includes('the-code-123'));
    assert.equal(page.headers.get('cache-control'), 'no-store');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    assert.deepEqual(await waiting, { code: 'the-code-123', state: 's1', error: undefined, errorDescription: undefined, iss: 'http://i' });
    assert.ok(listener.isClosed);
    await assert.rejects(fetch(`${base}/callback?code=again`));
  });

  it('keeps an error answer, and a callback that came before wait()', async () => {
    const listener = await startLoopbackRedirect('/cb', 's');
    await fetch(`http://127.0.0.1:${listener.port}/cb?error=access_denied&error_description=no&state=s`);
    const callback = await listener.wait(1_000);
    assert.equal(callback.error, 'access_denied');
    assert.equal(callback.errorDescription, 'no');
  });

  it('times out and closes', async () => {
    const listener = await startLoopbackRedirect('/callback', 's');
    await assert.rejects(listener.wait(100), LoopbackTimeoutError);
    assert.ok(listener.isClosed);
    await assert.rejects(fetch(`http://127.0.0.1:${listener.port}/callback?code=late`));
  });

  it('is cancelled by its signal and closes', async () => {
    const listener = await startLoopbackRedirect('/callback', 's');
    const controller = new AbortController();
    const waiting = listener.wait(5_000, controller.signal);
    controller.abort();
    await assert.rejects(waiting, LoopbackCancelledError);
    assert.ok(listener.isClosed);
  });

  it('answers 400 to a request without the expected state, or with another Host, and keeps waiting for the real callback', async () => {
    const state = 'the-state-of-this-request-0123456789abcdefghij';
    const listener = await startLoopbackRedirect('/callback', state);
    const base = `http://127.0.0.1:${listener.port}`;
    const waiting = listener.wait(5_000);
    const refused = async (path: string, host?: string) => {
      const answer = await rawGet(listener.port, path, host ?? `127.0.0.1:${listener.port}`);
      assert.equal(answer.status, 400, `${host ?? ''} ${path}`);
      assert.ok(!answer.text.includes('forged-code'), 'the refusal quotes the code');
    };
    await refused('/callback?code=forged-code'); // no state
    await refused('/callback?code=forged-code&state=guess'); // another state
    await refused(`/callback?code=forged-code&state=${state}x`); // a longer one
    await refused('/callback?error=access_denied&state=guess'); // an error answer of another request
    // The right state, with a Host the redirect URI does not name: DNS rebinding, localhost, another port.
    await refused(`/callback?code=forged-code&state=${state}`, `evil.example:${listener.port}`);
    await refused(`/callback?code=forged-code&state=${state}`, `localhost:${listener.port}`);
    await refused(`/callback?code=forged-code&state=${state}`, `127.0.0.1:${listener.port + 1}`);
    await refused(`/callback?code=forged-code&state=${state}`, '127.0.0.1');
    await refused(`/callback?code=forged-code&state=${state}`, '');
    assert.ok(!listener.isClosed, 'a refused request closed the listener');
    const page = await fetch(`${base}/callback?code=the-real-code&state=${state}`);
    assert.equal(page.status, 200);
    assert.equal((await waiting).code, 'the-real-code');
    assert.ok(listener.isClosed);
  });

  it("takes the callback through a remote window's forward only on the address handed out", async () => {
    const listener = await startLoopbackRedirect('/callback', 's');
    listener.allowHostOf('http://127.0.0.1:40001/callback');
    const waiting = listener.wait(5_000);
    assert.equal((await rawGet(listener.port, '/callback?code=c&state=s', '127.0.0.1:40002')).status, 400);
    assert.equal((await rawGet(listener.port, '/callback?code=c&state=s', 'evil.example:40001')).status, 400);
    assert.equal((await rawGet(listener.port, '/callback?code=c&state=s', '127.0.0.1:40001')).status, 200);
    assert.equal((await waiting).code, 'c');
  });

  it('loopback redirect URIs: the IPv4 literal over http only', () => {
    assert.ok(isLoopbackRedirectUri('http://127.0.0.1/callback'));
    assert.ok(isLoopbackRedirectUri('http://127.0.0.1:8080/cb?x=1'));
    for (const uri of ['http://localhost:3000/callback', 'https://127.0.0.1/cb', 'http://127.0.0.1/cb#f', 'com.example:/cb', 'nonsense']) {
      assert.equal(isLoopbackRedirectUri(uri), false, uri);
    }
    assert.equal(withPort('http://127.0.0.1/callback?x=1', 51234), 'http://127.0.0.1:51234/callback?x=1');
    assert.ok(sameSecret('abc', 'abc'));
    assert.ok(!sameSecret('abd', 'abc') && !sameSecret('ab', 'abc') && !sameSecret(undefined, 'abc'));
  });
});

/** A GET with a chosen Host header (fetch sets its own), as a page behind a rebound DNS name would send it. */
function rawGet(port: number, path: string, host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers: { Host: host }, setHost: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the redirect URI through a remote window's port forward", () => {
  const local = 'http://127.0.0.1:51234/callback';
  it('takes a forwarded loopback URI on the same path, naming the IP literal', () => {
    assert.equal(forwardedRedirectUri(local, 'http://127.0.0.1:40001/callback'), 'http://127.0.0.1:40001/callback');
    assert.equal(forwardedRedirectUri(local, 'http://localhost:40002/callback'), 'http://127.0.0.1:40002/callback');
    assert.equal(forwardedRedirectUri(local, local), local);
  });
  it('keeps the local URI for anything else: a web proxy, https, another path or host, credentials', () => {
    for (const external of [
      'http://127.0.0.1:8080/proxy/51234/callback',
      'https://code.example.com/proxy/51234/callback',
      'https://127.0.0.1:40001/callback',
      'http://10.0.0.5:40001/callback',
      'http://user:pw@127.0.0.1:40001/callback',
      'http://127.0.0.1:40001/other',
      'http://127.0.0.1/callback',
      'not a url',
    ]) {
      assert.equal(forwardedRedirectUri(local, external), local, external);
    }
  });
});

describe('ID token checks', () => {
  it('nonce: equal, different, missing', () => {
    assert.ok(checkNonce({ nonce: 'n1' }, 'n1').ok);
    assert.match(checkNonce({ nonce: 'n2' }, 'n1').message, /another nonce/);
    assert.match(checkNonce({}, 'n1').message, /has no nonce/);
    assert.ok(!checkNonce({ nonce: 'n2' }, 'n1').message.includes('n1'), 'the message quotes the nonce');
  });

  it('at_hash: the left half of the SHA-256 of the access token (OIDC Core §3.1.3.8)', () => {
    const token = 'eyJhbGciOiJSUzI1NiJ9.e30.sig';
    const expected = createHash('sha256').update(token).digest().subarray(0, 16).toString('base64url');
    assert.equal(accessTokenHash(token, 'RS256'), expected);
    assert.ok(checkAccessTokenHash({ at_hash: expected }, 'RS256', token).ok);
    assert.ok(!checkAccessTokenHash({ at_hash: expected }, 'RS256', `${token}x`).ok);
    assert.match(checkAccessTokenHash({}, 'RS256', token).message, /has no at_hash/);
    assert.match(checkAccessTokenHash({ at_hash: expected }, 'HS256', token).message, /cannot be checked/);
  });
});
