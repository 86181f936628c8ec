import { createHash } from 'node:crypto';
import type { Reply } from './http';
import type { ClientRecord, PersonRecord } from './state';

/*
 * The emulator's small sign-in page (GET /oauth2/authorize without a usable login_hint): one link
 * per person of the client's org, each the same authorization request with `login_hint` set, so it
 * works with the keyboard alone (Tab, Enter) and needs no form, script or external resource. The page
 * is served with a strict Content-Security-Policy: nothing may load but its own inline style (by
 * hash) and the logo, from its https origin only.
 */

/** HTML-escapes text for element content and double-quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A CSS colour the page may use as its background: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or a colour name. */
const SAFE_COLOUR = /^(#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|[a-z]{1,30})$/i;

function page(status: number, title: string, main: string, background = '#f6f7f9', imageOrigin?: string): Reply {
  const style = [
    `body{margin:0;font:16px/1.5 system-ui,sans-serif;background:${background};color:#1f2a44}`,
    'main{max-width:28rem;margin:3rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;box-shadow:0 1px 4px #0003}',
    'h1{font-size:1.3rem;margin:.5rem 0 1rem}ul{list-style:none;padding:0;margin:0 0 1rem}li{margin:.4rem 0}',
    'a.person{display:block;padding:.6rem .8rem;border:1px solid #c5cad3;border-radius:6px;color:#1f2a44;text-decoration:none}',
    'a.person:hover{background:#eef1f6}a:focus-visible{outline:3px solid #2f6fed;outline-offset:2px}',
    '.id{display:block;font-size:.8rem;color:#5a6478}.note{color:#5a6478;font-size:.9rem}img.logo{max-height:48px;max-width:100%}',
    '.error{color:#a11}',
  ].join('');
  const hash = createHash('sha256').update(style).digest('base64');
  const csp = [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    imageOrigin !== undefined ? `img-src ${imageOrigin}` : "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
  return {
    status,
    text: { contentType: 'text/html; charset=utf-8', content: html },
    headers: {
      'Content-Security-Policy': csp,
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  };
}

/** The page shown instead of a redirect when the client or the redirect URI cannot be trusted (RFC 6749 §4.1.2.1). */
export function errorPage(message: string): Reply {
  return page(
    400,
    'Sign-in error — SlashID emulator',
    `<h1>This sign-in request cannot be completed</h1>\n<p class="error">${escapeHtml(message)}</p>\n<p class="note">The application that sent you here must fix its request; you are not redirected back to it.</p>`,
  );
}

export interface SignInPageInput {
  client: ClientRecord;
  persons: PersonRecord[];
  /** The URL of the same authorization request with `login_hint` set to a person ID. */
  signInUrl: (personId: string) => string;
  /** The client's redirect URI with `error=access_denied`. */
  cancelUrl: string;
  /** Handle types to show (`handle_types` parameter, else the client's UI configuration); all when undefined. */
  handleTypes: string[] | undefined;
  notice?: string;
}

/** The sign-in page, themed with what it can use of the client's UI configuration. */
export function signInPage(input: SignInPageInput): Reply {
  const ui = input.client.ui_configuration ?? {};
  const logo =
    typeof ui.logoUrl === 'string' && /^https:\/\//i.test(ui.logoUrl) && URL.canParse(ui.logoUrl) && cspSafeOrigin(ui.logoUrl)
      ? ui.logoUrl
      : undefined;
  const background =
    typeof ui.pageBackgroundColor === 'string' && SAFE_COLOUR.test(ui.pageBackgroundColor) ? ui.pageBackgroundColor : undefined;
  const items = input.persons.map((person) => {
    const handles = person.handles.filter((h) => input.handleTypes === undefined || input.handleTypes.includes(h.type));
    const label = handles.length > 0 ? handles.map((h) => h.value).join(', ') : person.person_id;
    return `<li><a class="person" href="${escapeHtml(input.signInUrl(person.person_id))}">${escapeHtml(label)}<span class="id">${escapeHtml(person.person_id)}</span></a></li>`;
  });
  const main = [
    logo ? `<img class="logo" src="${escapeHtml(logo)}" alt="">` : '',
    `<h1>Sign in to ${escapeHtml(input.client.client_name)}</h1>`,
    input.notice ? `<p class="error">${escapeHtml(input.notice)}</p>` : '',
    '<p class="note">Local SlashID emulator: choose the person to sign in as (no password is asked).</p>',
    items.length > 0 ? `<ul>\n${items.join('\n')}\n</ul>` : '<p>This organization has no active persons to sign in as.</p>',
    `<p><a href="${escapeHtml(input.cancelUrl)}">Cancel and deny access</a></p>`,
  ]
    .filter((line) => line.length > 0)
    .join('\n');
  return page(200, `Sign in to ${input.client.client_name} — SlashID emulator`, main, background, logo && new URL(logo).origin);
}

/** An https origin that is safe in a CSP source list: a host name (or IPv6 literal) and an optional port. */
function cspSafeOrigin(url: string): string | undefined {
  const origin = new URL(url).origin;
  return /^https:\/\/(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i.test(origin) ? origin : undefined;
}
