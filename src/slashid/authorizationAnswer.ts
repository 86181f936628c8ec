import { withoutTrailingSlashes } from './contract';
import { callbackOf, sameSecret, type AuthorizationCallback } from './loopbackRedirect';

/**
 * The answer of the authorization-code flow when it does not reach the loopback listener: the address the
 * browser ended on, pasted by the user (a browser that cannot reach this machine's loopback, e.g. in a
 * web-based remote), or a URI that VS Code's own URI handler received. It is taken only when it carries
 * this request's `state` (constant-time compare) and, when it names one, this organization's issuer
 * (RFC 9207), and a code or an error. Each problem is one sentence that never quotes the code.
 * No `vscode` import.
 */

export interface ExpectedAnswer {
  /** The authorization request's `state`. */
  readonly state: string;
  /** The organization's issuer (its API base URL), which `iss` must name when present. */
  readonly issuer: string;
}

export type AnswerCheck =
  { readonly ok: true; readonly callback: AuthorizationCallback } | { readonly ok: false; readonly problem: string };

/** Checks an address pasted from the browser's address bar. */
export function checkPastedAddress(text: string, expected: ExpectedAnswer): AnswerCheck {
  const typed = text.trim();
  let url: URL | undefined;
  try {
    url = typed ? new URL(typed) : undefined;
  } catch {
    url = undefined;
  }
  if (!url) {
    return {
      ok: false,
      problem: "This is not an address: copy the whole address from the browser's address bar after signing in, and paste it here.",
    };
  }
  return checkAnswer(url.searchParams, expected);
}

/** Checks the query of a redirect (a pasted address's, or a URI the editor's URI handler received). */
export function checkAnswer(query: URLSearchParams, expected: ExpectedAnswer): AnswerCheck {
  const callback = callbackOf(query);
  if (callback.code === undefined && callback.error === undefined) {
    return {
      ok: false,
      problem:
        'This address carries no authorization code: paste the address the browser ended on after you signed in, not the sign-in page.',
    };
  }
  if (!sameSecret(callback.state, expected.state)) {
    return {
      ok: false,
      problem:
        "This address answers another sign-in (its state is not this request's), so it was refused; paste the address of the sign-in you just started.",
    };
  }
  if (callback.iss !== undefined && withoutTrailingSlashes(callback.iss) !== withoutTrailingSlashes(expected.issuer)) {
    return {
      ok: false,
      problem:
        "This address names another issuer than the organization's API (RFC 9207), so it was refused; paste the address from this organization's sign-in.",
    };
  }
  return { ok: true, callback };
}
