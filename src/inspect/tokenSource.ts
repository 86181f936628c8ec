import * as vscode from 'vscode';
import { UserFacingError } from '../common/failures';
import { withoutBearer } from '../tokens/bearer';
import { findTokens, tokenAt } from '../tokens/recognize';

/** Selections and clipboard texts longer than this are refused (a token is a few KB at most). */
export const MAX_TOKEN_INPUT_LENGTH = 1024 * 1024;

const JWT_SHAPE = /^(?:bearer\s+)?eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/i;
const OPAQUE_SHAPE = /^(?:bearer\s+)?sid_(?:at|rt)_[A-Za-z0-9_-]{16,512}$/i;

export function looksLikeJwt(text: string): boolean {
  return text.length <= MAX_TOKEN_INPUT_LENGTH && JWT_SHAPE.test(text.trim());
}

export function looksLikeSlashIdToken(text: string): boolean {
  const t = text.trim();
  return t.length <= MAX_TOKEN_INPUT_LENGTH && (JWT_SHAPE.test(t) || OPAQUE_SHAPE.test(t));
}

export interface TokenInput {
  readonly text: string;
  /** `text` without a `Bearer ` prefix, trimmed: the token itself. */
  readonly token: string;
  readonly source: 'argument' | 'selection' | 'cursor' | 'clipboard' | 'input';
}

/**
 * The token a command works on: an argument (tests, other commands), else the editor's selection (the
 * token inside it, when one is recognized), else the token under the cursor, else the clipboard when it
 * looks like a token (`accept`), else an input box. Undefined when the user cancels.
 */
export async function readTokenInput(options: {
  readonly argument?: unknown;
  readonly accept: (text: string) => boolean;
  readonly prompt: string;
  readonly placeHolder: string;
  readonly validate: (text: string) => string | undefined;
  /**
   * Asked after the editor and before the clipboard (the paused debugger's variables): `handled` when it
   * dealt with the request itself (opened a token, or the person cancelled), `skip` to go on.
   */
  readonly beforeClipboard?: () => Promise<'handled' | 'skip'>;
}): Promise<TokenInput | undefined> {
  const found = await findTokenInput(options);
  return found && { ...found, token: withoutBearer(found.text) };
}

async function findTokenInput(options: Parameters<typeof readTokenInput>[0]): Promise<Omit<TokenInput, 'token'> | undefined> {
  if (typeof options.argument === 'string' && options.argument.trim().length > 0) {
    return { text: checkSize(options.argument), source: 'argument' };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor) {
    const { document, selection } = editor;
    if (!selection.isEmpty) {
      const text = checkSize(document.getText(selection));
      const found = findTokens(text, { maxTokens: 1, includeLongLines: true });
      return { text: found[0]?.value ?? text.trim(), source: 'selection' };
    }
    const line = document.lineAt(selection.active.line).text;
    const under = tokenAt(line, selection.active.character);
    if (under) return { text: under.value, source: 'cursor' };
  }
  if (options.beforeClipboard && (await options.beforeClipboard()) === 'handled') return undefined;
  const clipboard = await vscode.env.clipboard.readText();
  if (clipboard.length <= MAX_TOKEN_INPUT_LENGTH && options.accept(clipboard)) {
    return { text: clipboard.trim(), source: 'clipboard' };
  }
  const typed = await vscode.window.showInputBox({
    prompt: options.prompt,
    placeHolder: options.placeHolder,
    password: false,
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim().length === 0 ? undefined : options.validate(value)),
  });
  if (typed === undefined || typed.trim().length === 0) return undefined;
  return { text: typed.trim(), source: 'input' };
}

function checkSize(text: string): string {
  if (text.length > MAX_TOKEN_INPUT_LENGTH) {
    throw new UserFacingError(
      `The selection is ${text.length.toLocaleString('en-US')} characters long; select just the token (tokens are a few KB at most).`,
    );
  }
  return text;
}
