import type { TokenView } from '../tokenPanels/protocol';
import { VERDICT_LABELS } from '../tokenPanels/verdicts';
import { inertText } from '../slashid/untrustedText';

/** The most characters of a decoded header or payload a reply carries. */
const MAX_JSON = 4_000;

/**
 * What the chat learns of a token: the verdict (as the hover and the panels give it), its times, and the
 * decoded header and payload as inert JSON text. Never the raw token, not even masked.
 */
export function tokenSummary(view: TokenView): Record<string, unknown> {
  return {
    kind: view.kind,
    verdict: view.verdict.status,
    verdictLabel: VERDICT_LABELS[view.verdict.status].label,
    verdictMessage: inertText(view.verdict.message, 600),
    ...(view.times.length > 0 ? { times: view.times.map((t) => ({ claim: t.claim, utc: t.iso, relative: t.relative })) } : {}),
    ...(view.timeProblems.length > 0 ? { timeProblems: view.timeProblems.map((p) => inertText(p, 300)) } : {}),
    ...(view.note && view.note !== view.verdict.message ? { note: inertText(view.note, 600) } : {}),
    ...(view.header !== undefined ? { header: inertText(view.header, MAX_JSON) } : {}),
    ...(view.payload !== undefined ? { payload: inertText(view.payload, MAX_JSON) } : {}),
    ...(view.introspection !== undefined ? { introspection: inertText(view.introspection, MAX_JSON) } : {}),
  };
}
