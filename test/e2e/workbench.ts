/**
 * Playwright helpers that use the VS Code workbench the way a person does: open it, click the activity bar, run
 * commands from the palette (F1, type the title, Enter), answer quick inputs, read notifications, take screenshots.
 *
 * The workbench runs with code-server's smoke-test driver, which hides notification toasts: `readNotifications`
 * opens the notification center instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer, WorkbenchUrlOptions } from '../../scripts/vscode/codeServer';

const WORKBENCH_READY_TIMEOUT_MS = 60_000;
export const VIEWPORT = { width: 1400, height: 900 };

export interface Workbench {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Extension-host console lines seen so far (in development mode they reach the page console). */
  readonly extensionHostLog: string[];
}

/** Opens the workbench in a fresh browser context (fresh storage and secrets) and waits until it is usable. */
export async function openWorkbench(browser: Browser, server: CodeServer, options: WorkbenchUrlOptions): Promise<Workbench> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  const extensionHostLog: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (text.startsWith('%c[Extension Host]'))
      extensionHostLog.push(text.replace(/^%c\[Extension Host\] %c/, '').replace(/ color: [^ ]+ color: inherit/, ''));
  });
  await page.goto(server.workbenchUrl(options));
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
  return { context, page, extensionHostLog };
}

/** Opens the view container whose activity-bar entry is labelled `title` (e.g. "SlashID"). */
export async function openActivityBarView(page: Page, title: string): Promise<void> {
  const item = page.locator('.part.activitybar .action-item').filter({ has: page.locator(`a.action-label[aria-label^="${title}"]`) });
  await item.waitFor({ timeout: WORKBENCH_READY_TIMEOUT_MS });
  const selected = (await item.getAttribute('class'))?.split(/\s+/).includes('checked') ?? false;
  if (!selected) await item.click(); // a click on the open container would close the side bar
  await page.locator('.part.sidebar .composite.title', { hasText: title.toUpperCase() }).waitFor();
}

/** F1, type the command's title, wait until it is the highlighted entry, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Types `value` into the open quick input (input box or quick pick filter) and presses Enter. */
export async function answerQuickInput(page: Page, value: string): Promise<void> {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(value);
  await page.keyboard.press('Enter');
}

/** Picks the quick-pick entry showing `label` (waits until it is listed). */
export async function pickQuickPickItem(page: Page, label: string | RegExp): Promise<void> {
  const row = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor();
  await row.click();
}

/** The messages in the notification center (opened with "Notifications: Show Notifications"). */
export async function readNotifications(page: Page): Promise<string[]> {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) {
    await runCommand(page, 'Notifications: Show Notifications');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }
  await center.waitFor({ state: 'visible' });
  return center.locator('.notification-list-item-message').allInnerTexts();
}

/** Waits until a notification matching `text` is in the notification center; returns its message. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  await readNotifications(page);
  const message = page.locator('.notifications-center .notification-list-item-message', { hasText: text }).first();
  await message.waitFor({ timeout: timeoutMs });
  return message.innerText();
}

/** Texts of the modal dialogs now open (e.g. "Command '…' resulted in an error"), for failure output. */
export async function readDialogs(page: Page): Promise<string[]> {
  return page.locator('.monaco-dialog-box').allInnerTexts();
}

/** A row of a tree or list in the side bar, by its visible text. */
export function sideBarRow(page: Page, text: string | RegExp): Locator {
  return page.locator('.part.sidebar .monaco-list-row', { hasText: text });
}

/**
 * The content of the webview shown in the editor area (e.g. a panel the extension opened). VS Code nests it:
 * an `iframe.webview` host frame, then the extension's document in `#active-frame`.
 */
export function activeWebview(page: Page): FrameLocator {
  return page.locator('.part.editor iframe.webview.ready').last().contentFrame().locator('iframe#active-frame').contentFrame();
}

/** Saves a full-window screenshot as `<dir>/<name>.png` and returns the path. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
