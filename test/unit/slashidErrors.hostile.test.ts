/**
 * A hostile SlashID (issue 10, items 3, 8 and 9): a small node:http server answers what a malicious or
 * broken server could. Every failure must still be one short, inert sentence with no secret in it, and
 * describing it must never throw.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { describeFailure } from '../../src/common/failures';
import { SlashIdClient } from '../../src/slashid/client';
import { OAuthError, SlashIdApiError, describeError } from '../../src/slashid/errors';
import { PoolRegistry } from '../../src/slashid/poolRegistry';
import { formEncode, redactSecrets } from '../../src/slashid/redaction';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

const ORG = 'aaaaaaaa-0000-4000-8000-00000000f00d';
const KEY = 'hostile-test-api-key-77c1';
/** A client secret with every character the encodings treat differently. */
const SECRET = 'S3cr+t/with=pad and*~!(x)';
const CLIENT_ID = 'client-hostile-1';
const LINK = '[Open a terminal](command:workbench.action.terminal.new)';

/** Every form in which the client sends SECRET: as is, URI-encoded, form-encoded, as URLSearchParams writes it. */
const SECRET_FORMS = [SECRET, encodeURIComponent(SECRET), formEncode(SECRET), new URLSearchParams([['s', SECRET]]).toString().slice(2)];

describe('slashid: a hostile server', function () {
  this.timeout(20_000);
  let server: LoopbackServer;
  let base: string;
  let answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void = () => {};
  let pools: PoolRegistry;

  before(async () => {
    server = await startLoopbackServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => answer(req, body, res));
    });
    base = server.url;
    pools = new PoolRegistry();
  });
  after(async () => {
    await pools.close();
    await server.close();
  });

  const api = () => new SlashIdClient({ baseUrl: base, orgId: ORG, apiKey: () => KEY, pools, retry: { attempts: 1 } });
  const json = (res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));

  function assertShortInertSentence(text: string): void {
    assert.ok(text.length <= 1_000, `${text.length} characters: ${text.slice(0, 200)}…`);
    // Markdown renders `[label](target)` as a link only with nothing between `]` and `(` (untrustedText.ts).
    assert.ok(!text.includes(']('), `a link survived: ${text}`);
    assert.ok(!/[\r\n]/.test(text), 'one line');
  }

  it('scrubs the client secret in every encoding the client sent, when the server echoes them (item 8)', async () => {
    answer = (req, body, res) => {
      const basic = Buffer.from(String(req.headers.authorization).replace(/^Basic /, ''), 'base64').toString('utf8');
      const raw = decodeURIComponent(basic.split(':')[1].replace(/\+/g, ' '));
      // The Basic credential as sent (form-encoded), decoded, URI-encoded, and the form body as received.
      const echo = `got ${basic} / ${raw} / ${encodeURIComponent(raw)} / ${body} / ${req.headers.authorization}`;
      json(res, 401, { error: 'invalid_client', error_description: echo });
    };
    const err = await api()
      .getClientCredentialsToken(CLIENT_ID, SECRET, ['read'])
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof OAuthError, String(err));
    const outputs = [err.message, describeError(err), describeFailure(err), err.errorDescription ?? '', JSON.stringify(err)];
    for (const output of outputs) {
      for (const form of SECRET_FORMS) assert.ok(!output.includes(form), `the secret leaked as ${form}: ${output}`);
      assert.ok(!output.includes(Buffer.from(`${CLIENT_ID}:${formEncode(SECRET)}`).toString('base64')));
    }
    assert.match(err.errorDescription ?? '', /<redacted>/);
    assert.match(describeError(err), /rejected the client credentials/);
  });

  it('scrubs a token sent in a form body (introspection), URI- and form-encoded', async () => {
    const token = 'tok+en/with=signs and spaces';
    answer = (_req, body, res) =>
      json(res, 400, { error: 'invalid_request', error_description: `bad ${body} ${decodeURIComponent(body)}` });
    const err = await api()
      .introspectToken(CLIENT_ID, SECRET, token)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof OAuthError);
    for (const form of [token, encodeURIComponent(token), new URLSearchParams([['t', token]]).toString().slice(2)]) {
      assert.ok(!describeError(err).includes(form), describeError(err));
    }
  });

  it('a huge Retry-After (an invalid date) is ignored, and describing never throws (item 9)', async () => {
    for (const retryAfter of ['9'.repeat(40), '99999999999999', 'Sat, 13 Sep 275760 00:00:01 GMT', 'x'.repeat(10_000)]) {
      answer = (_req, _body, res) => json(res, 429, { errors: [{ message: 'slow down' }] }, { 'retry-after': retryAfter });
      const err = await api()
        .listClients()
        .then(
          () => assert.fail('resolved'),
          (e: unknown) => e,
        );
      assert.ok(err instanceof SlashIdApiError, `${retryAfter.slice(0, 20)}: ${String(err)}`);
      assert.ok(err.retryAt === undefined || Number.isFinite(err.retryAt.getTime()));
      assert.match(describeError(err), /limiting the request rate \(429: slow down\)\. Wait a moment and try again\.$/);
    }
    // An error built by hand with an invalid date: still a sentence.
    const forged = Object.assign(Object.create(SlashIdApiError.prototype) as SlashIdApiError, {
      status: 429,
      messages: ['x'],
      retryAt: new Date(Number.NaN),
      context: { operation: 'listClients' },
    });
    assert.match(describeError(forged), /^Listing clients failed: .*\.$/);
  });

  it('a 5 MB server message with a command link becomes a short inert sentence (items 3 and 9)', async () => {
    const huge = `${LINK} ${'A'.repeat(5 * 1024 * 1024)}`;
    answer = (_req, _body, res) => json(res, 500, { errors: [{ message: huge }, { message: LINK }] });
    const err = await api()
      .getClient('c-1')
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof SlashIdApiError);
    for (const text of [describeError(err), describeFailure(err), err.message]) {
      assertShortInertSentence(text);
      assert.match(text, /^Getting client c-1 failed: SlashID had a server error \(500: \[Open a terminal\] \(command:/);
    }
  });

  it('an OAuth error_description with a command link and control characters is inert (item 3)', async () => {
    answer = (_req, _body, res) => json(res, 400, { error: `invalid_scope${LINK}`, error_description: `${LINK}\nsecond line\u202e` });
    const err = await api()
      .getClientCredentialsToken(CLIENT_ID, SECRET)
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof OAuthError);
    assertShortInertSentence(describeError(err));
    assertShortInertSentence(describeFailure(err));
  });

  it('millions of sid_at_ characters: redaction and describeFailure neither throw nor leak (item 9)', async () => {
    const run = 'sid_at_'.repeat(1_000_000);
    assert.equal(redactSecrets(run), '<token redacted>');
    assert.equal(redactSecrets(`a ${'eyJ'.repeat(1_000_000)} b`), `a ${'eyJ'.repeat(1_000_000)} b`);
    answer = (_req, _body, res) => json(res, 400, { errors: [{ message: run }] });
    const err = await api()
      .listPersons()
      .then(
        () => assert.fail('resolved'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof SlashIdApiError);
    const sentence = describeFailure(err);
    assertShortInertSentence(sentence);
    assert.match(sentence, /^Listing persons failed: SlashID rejected the request \(400: <token redacted>/);
    // A caller-built error with the whole run in it.
    assertShortInertSentence(describeFailure(new Error(run)));
    assertShortInertSentence(describeFailure(new SlashIdApiError(400, [run], { operation: 'listPersons' })));
  });
});

/** The linear redaction agrees with the regular expressions it replaced, on random short texts. */
describe('slashid redaction', () => {
  const OLD_JWT = /\beyJ[\w-]{2,}\.[\w-]{2,}\.[\w-]*/g;
  const OLD_OPAQUE = /\bsid_(?:at|rt)_[\w-]{8,}/g;
  const oldRedact = (text: string) => text.replace(OLD_JWT, '<jwt redacted>').replace(OLD_OPAQUE, '<token redacted>');

  it('matches the old patterns exactly on 20,000 random texts', () => {
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pieces = ['eyJ', 'sid_at_', 'sid_rt_', '.', '-', '_', 'a', 'Z', '9', ' ', 'abcdefgh', ':', 'é'];
    for (let i = 0; i < 20_000; i++) {
      let text = '';
      const n = Math.floor(random() * 16);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(random() * pieces.length)];
      assert.equal(redactSecrets(text), oldRedact(text), JSON.stringify(text));
    }
  });
});
