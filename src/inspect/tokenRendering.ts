import * as vscode from 'vscode';
import type { TokenView } from '../tokenPanels/protocol';
import { VERDICT_LABELS } from '../tokenPanels/verdicts';
import { singleLine } from '../slashid/untrustedText';

/**
 * A `TokenView` as Markdown: the hover's content, and the text of the decoded-token document. The same
 * facts, in the same order, as the minter's result cards.
 */

const TIME_LABELS: Record<string, string> = { exp: 'Expires', iat: 'Issued', nbf: 'Not before', auth_time: 'Authenticated' };

export function renderTokenMarkdown(view: TokenView): string {
  const out: string[] = [];
  const verdict = VERDICT_LABELS[view.verdict.status];
  const kind = view.kind === 'jwt' ? 'JWT' : view.kind === 'opaque' ? 'opaque token' : 'not a valid JWT';
  const kindText = view.title.includes(kind) ? '' : ` · ${kind}`;
  out.push(`**${escapeInlineMarkdown(view.title)}**${kindText} · ${view.length.toLocaleString('en-US')} characters`);
  out.push('');
  out.push(`$(${verdict.icon}) **${verdict.label}** — ${escapeInlineMarkdown(view.verdict.message)}`);
  for (const fact of view.facts) {
    out.push('', `${escapeInlineMarkdown(fact.label)}: \`${inlineCode(fact.value)}\``);
  }
  for (const time of view.times) {
    out.push(
      '',
      `**${TIME_LABELS[time.claim] ?? time.claim}** ${escapeInlineMarkdown(time.relative)} — ${time.iso} (${escapeInlineMarkdown(time.local)})`,
    );
  }
  for (const problem of view.timeProblems) {
    out.push('', `$(warning) ${escapeInlineMarkdown(problem)}`);
  }
  if (view.note && view.note !== view.verdict.message) {
    out.push('', escapeInlineMarkdown(view.note));
  }
  if (view.header !== undefined) {
    out.push('', 'Header', codeBlock(view.header));
  }
  if (view.payload !== undefined) {
    out.push('', 'Payload', codeBlock(view.payload));
  }
  if (view.introspection !== undefined) {
    out.push('', 'Introspection', codeBlock(view.introspection));
  }
  return out.join('\n');
}

export function tokenMarkdownString(view: TokenView): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString(renderTokenMarkdown(view), true);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  return markdown;
}

/** A fenced JSON block whose fence is longer than any run of backticks inside. */
export function codeBlock(json: string, language = 'json'): string {
  const longest = Math.max(2, ...[...json.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${json}\n${fence}`;
}

/**
 * Escapes what could change the meaning of text inside a line: emphasis, code, links (square brackets),
 * HTML, tables and theme icons (`$(…)`). Parentheses stay, so that URLs in messages still read right.
 * Every control character becomes a space, line breaks of every kind included (a lone `\r` starts a new
 * Markdown line, where `## …` is a heading): a claim quoted in a verdict stays on its line. Lighter than
 * untrustedText's `escapeMarkdown` (tooltips), because this Markdown is also the decoded-token document's
 * text, which people read as it is: periods, dashes and parentheses stay unescaped.
 */
export function escapeInlineMarkdown(text: string): string {
  return singleLine(text).replace(/[\\`*_[\]<>|~$]/g, '\\$&');
}

function inlineCode(text: string): string {
  return singleLine(text).replace(/`/g, "'");
}
