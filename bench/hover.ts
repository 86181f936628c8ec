/**
 * `node out/bench/hover.js`: the hover's cost on one line of a 100 MB log file, with and without a
 * token, against the floor of `jose.decodeJwt` on the same token; and how much of the document a hover
 * reads (only the hovered line may be read; the token ends its line, where a wrapped token would go on).
 *
 * The document is a text model over the file's bytes (line starts indexed once, as VS Code's text model
 * does when it opens a file): `lineAt` reads one line and counts it; `getText` counts the whole document.
 */
import './withVscodeStub';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { SignJWT, decodeJwt, generateKeyPair } from 'jose';
import { TokenHoverProvider } from '../src/inspect/tokenHoverProvider';
import { TokenVerifier } from '../src/orgs/tokenVerifier';
import type { Services } from '../src/services';
import { compareInterleaved, reportResult, round } from './measure';

const FILE_BYTES = 100 * 1024 * 1024;
const HOVERS_PER_RUN = 2_000;

class LogDocument {
  readonly uri = { scheme: 'file', toString: () => 'file:///bench/service.log' };
  readonly languageId = 'log';
  linesRead = 0;
  charactersRead = 0;
  wholeReads = 0;
  private readonly starts: number[] = [0];

  constructor(private readonly bytes: Buffer) {
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) this.starts.push(i + 1);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineAt(line: number): { text: string; firstNonWhitespaceCharacterIndex: number } {
    const end = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.bytes.length;
    const text = this.bytes.toString('latin1', this.starts[line], end);
    this.linesRead++;
    this.charactersRead += text.length;
    return { text, firstNonWhitespaceCharacterIndex: text.length - text.trimStart().length };
  }

  getText(): string {
    this.wholeReads++;
    return this.bytes.toString('latin1');
  }
}

async function makeLog(token: string): Promise<{ file: string; tokenLine: number; plainLine: number }> {
  const file = path.join(os.tmpdir(), `slashid-bench-hover-${process.pid}.log`);
  const out = fs.createWriteStream(file);
  let bytes = 0;
  let line = 0;
  let tokenLine = -1;
  while (bytes < FILE_BYTES) {
    const text =
      line === 500_000
        ? `2026-11-29T02:00:00.000Z INFO auth client=partner-portal issued access_token=${token}`
        : `2026-11-29T02:00:00.000Z INFO http GET /api/orders/${line} 200 ${line % 97} ms user=alice request_id=${line.toString(16)}`;
    if (line === 500_000) tokenLine = line;
    bytes += text.length + 1;
    if (!out.write(`${text}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    line++;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { file, tokenLine, plainLine: 500_001 };
}

async function main(): Promise<void> {
  const { privateKey } = await generateKeyPair('RS256');
  const token = await new SignJWT({ scp: ['openid'], client_id: 'partner-portal', team: 'blue' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench-key-1', typ: 'JWT' })
    .setIssuer('https://api.slashid.com')
    .setSubject('person-1')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const { file, tokenLine, plainLine } = await makeLog(token);
  try {
    const document = new LogDocument(fs.readFileSync(file));
    const services = {
      tokenVerifier: new TokenVerifier({ all: () => [] } as never, { currentUrl: () => undefined } as never),
    } as unknown as Services;
    const provider = new TokenHoverProvider(services);
    const cancel = {
      isCancellationRequested: false,
      onCancellationRequested: () => ({ dispose: () => undefined }),
    } as vscode.CancellationToken;
    const doc = document as unknown as vscode.TextDocument;
    const at = (line: number, character: number) => ({ line, character }) as vscode.Position;
    const tokenCharacter = document.lineAt(tokenLine).text.indexOf('eyJ') + 20;

    // The first hover loads the decoder and the renderer: not part of a hover's steady cost.
    const first = await provider.provideHover(doc, at(tokenLine, tokenCharacter), cancel);
    if (!first) throw new Error('no hover over the token');
    if ((await provider.provideHover(doc, at(plainLine, 40), cancel)) !== undefined) throw new Error('a hover over a line without a token');

    document.linesRead = 0;
    document.charactersRead = 0;
    let hovers = 0;
    const tokenHovers = async () => {
      for (let i = 0; i < HOVERS_PER_RUN; i++) if (await provider.provideHover(doc, at(tokenLine, tokenCharacter), cancel)) hovers++;
    };
    const plainHovers = async () => {
      for (let i = 0; i < HOVERS_PER_RUN; i++) if (await provider.provideHover(doc, at(plainLine, 40), cancel)) hovers++;
    };
    let decoded = 0;
    const floor = () => {
      for (let i = 0; i < HOVERS_PER_RUN; i++) if (decodeJwt(token).sub) decoded++;
    };
    const withToken = await compareInterleaved({ rounds: 7, warmup: 1, subject: tokenHovers, floor });
    const readsWithToken = { lines: document.linesRead, hovers };
    document.linesRead = 0;
    const withoutToken = await compareInterleaved({ rounds: 7, warmup: 1, subject: plainHovers, floor });
    const hoverCount = (7 + 1) * HOVERS_PER_RUN;
    if (readsWithToken.hovers !== hoverCount || decoded === 0)
      throw new Error(`hovered ${readsWithToken.hovers} times, expected ${hoverCount}`);
    const linesPerHover = Math.max(readsWithToken.lines, document.linesRead) / hoverCount;
    const floorUs = (withToken.floorMedian * 1000) / HOVERS_PER_RUN;
    reportResult([
      {
        key: 'hover.tokenLineRatio',
        label: 'Hover over a token on a line of a 100 MB log: hover vs jose.decodeJwt of the same token',
        value: round(withToken.ratio, 2),
        unit: '×',
        max: 25,
        goal: '≤ 25×',
        details: {
          hoverUs: round((withToken.subjectMedian * 1000) / HOVERS_PER_RUN, 2),
          decodeJwtUs: round(floorUs, 2),
          fileMb: round(FILE_BYTES / 1024 / 1024),
          lines: document.lineCount,
        },
      },
      {
        key: 'hover.plainLineRatio',
        label: 'Hover over a line without a token (same file): hover vs jose.decodeJwt',
        value: round(withoutToken.ratio, 3),
        unit: '×',
        max: 0.5,
        goal: '≤ 0.5×',
        details: { hoverUs: round((withoutToken.subjectMedian * 1000) / HOVERS_PER_RUN, 3), decodeJwtUs: round(floorUs, 2) },
      },
      {
        key: 'hover.linesRead',
        label: 'Lines of the document a hover reads',
        value: round(linesPerHover, 3),
        unit: 'lines',
        max: 1,
        goal: 'the hovered line only',
        details: { wholeDocumentReads: document.wholeReads },
      },
    ]);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
