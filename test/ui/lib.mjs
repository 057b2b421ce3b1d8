// Shared by the UI test files (test/ui/*.test.mjs): the sandbox (emulators + real VS Code + ML
// Secrets) opened in Chromium by Playwright, checks that take screenshots into .test-output/ui/, and
// the waits: each on something the screen shows (a locator, or `waitUntil` polling a condition), never
// a fixed sleep. Each file runs its own sandbox and prints `N passed, N failed`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, repo } from '../../scripts/sandbox.mjs';
import { openWorkbench, waitForWorkbench } from '../harness/vscode.mjs';

export const shots = join(repo, '.test-output', 'ui');
mkdirSync(shots, { recursive: true });

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/**
 * Polls `predicate` (sync or async) until it returns something truthy, and returns that. A predicate
 * that throws counts as "not yet" (an element being re-rendered). After `timeout` ms it fails with
 * "timed out after … waiting for <message>" (`message` may be a function of the last answer or error,
 * to say what was seen instead).
 * @template T
 * @param {() => T | Promise<T>} predicate
 * @param {{ timeout?: number, interval?: number, message?: string | ((last: unknown) => string) }} [o]
 * @returns {Promise<T>}
 */
export async function waitUntil(predicate, { timeout = 15_000, interval = 100, message = 'a condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await predicate();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= end) throw new Error(`timed out after ${timeout} ms waiting for ${typeof message === 'function' ? message(last) : message}`);
    await new Promise((r) => setTimeout(r, interval)); // the polling period, not a settle
  }
}

/** What the quick input shows now (text, input value and type), or 'hidden': to notice that it moved on. */
export function quickInputState(page) {
  return page.evaluate(() => {
    const w = document.querySelector('.quick-input-widget');
    if (!w || !w.getClientRects().length || getComputedStyle(w).display === 'none') return 'hidden';
    const i = w.querySelector('input');
    return `${w.innerText}\u0000${i?.value ?? ''}\u0000${i?.type ?? ''}`;
  });
}

/** Waits until the quick input no longer shows `before` (quickInputState): closed, or the next step is up. */
export async function quickInputMovedOn(page, before, after, timeout = 30_000) {
  let now = before;
  await waitUntil(async () => (now = await quickInputState(page)) !== before, {
    timeout,
    message: () => `the quick input to move on after ${after} (it still shows ${JSON.stringify(now.replace(/\u0000/g, ' | ').slice(0, 300))})`,
  });
}

/**
 * Waits until the row Enter would take in the open quick input is the one showing `text` (the list
 * has caught up with the typed filter); an input box or a list filtered down to nothing has no row
 * to wait for.
 */
export async function focusedRowShows(page, text, timeout = 15_000) {
  let seen = '';
  await waitUntil(
    () =>
      page.evaluate((t) => {
        const w = document.querySelector('.quick-input-widget');
        const rows = [...(w?.querySelectorAll('.monaco-list-row') ?? [])].filter((r) => r.getClientRects().length);
        if (!rows.length) return true;
        const focused = w.querySelector('.monaco-list-row.focused');
        const shown = (focused?.textContent ?? '').replace(/\s+/g, ' ');
        return shown.toLowerCase().includes(t.toLowerCase()) || `focused row: ${JSON.stringify(shown.slice(0, 200))}`;
      }, text).then((r) => (r === true ? true : ((seen = r), false))),
    { timeout, message: () => `the quick input's chosen row to show '${text}' (${seen})` },
  );
}

/** Waits until the CSS animations (a fade-in) of this element, its ancestors and its children have finished. */
export async function animationsDone(locator) {
  await locator.evaluate((el) => {
    const mine = document.getAnimations().filter((a) => {
      const t = a.effect?.target;
      return t instanceof Node && (el.contains(t) || t.contains(el)) && a.effect.getTiming().iterations !== Infinity;
    });
    return Promise.all(mine.map((a) => a.finished.catch(() => undefined)));
  });
}

/** Puts the cursor of the active editor at line:col with Go to Line, and waits until the status bar shows it there. */
export async function goTo(page, line, col) {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input').first();
  await waitUntil(async () => (await input.isVisible()) && (await input.inputValue()).startsWith(':'), { timeout: 10_000, message: 'the Go to Line box' });
  await page.keyboard.type(`${line}:${col}`);
  await page.keyboard.press('Enter');
  await page.locator('.statusbar', { hasText: `Ln ${line}, Col ${col}` }).first().waitFor({ timeout: 10_000 });
}

/**
 * Runs `body(ui)` against a fresh sandbox and workbench; `ui` has the page, the sandbox, `check`
 * and the helpers below. Prints the results and exits with their status.
 * @param {string} prefix screenshot name prefix (failure shots)
 * @param {(ui: any) => Promise<void>} body
 * @param {{ sandbox?: object, viewport?: {width: number, height: number} }} [o]
 */
/**
 * The checks of one UI test file: `check(name, fn)` runs one, prints ✓ or ✗ and, failed, screenshots
 * the page `page()` gives; `fail(name, e)` records a failure outside a check; `finish()` prints the
 * results and exits with their status.
 * @param {string} prefix failure screenshots' name prefix
 * @param {() => any} page the page now shown (it may change between checks)
 */
export function uiChecks(prefix, page) {
  const results = [];
  return {
    results,
    async check(name, fn) {
      const started = Date.now();
      try {
        await fn();
        results.push({ name, ok: true });
        console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        results.push({ name, ok: false, error: e });
        console.log(`  ✗ ${name}: ${e instanceof Error ? e.message : String(e)}`);
        await page()?.screenshot({ path: join(shots, `failure-${prefix}-${results.length}.png`) }).catch(() => undefined);
      }
    },
    fail(name, e) {
      results.push({ name, ok: false, error: e });
      console.log(`  ✗ ${name}: ${e instanceof Error ? e.stack : String(e)}`);
    },
    finish() {
      const passed = results.filter((r) => r.ok).length;
      const failed = results.length - passed;
      console.log(`screenshots: ${shots}`);
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed || !passed ? 1 : 0);
    },
  };
}

/** Whether the Get Started walkthrough shows the step as done (its button's aria-checked, as a screen reader hears it). */
export function walkthroughStepDone(page, title) {
  return page.evaluate((t) => {
    const step = [...document.querySelectorAll('button.getting-started-step')].find((el) => (el.textContent ?? '').includes(t));
    return step ? step.getAttribute('aria-checked') === 'true' : undefined;
  }, title);
}

export async function runUi(prefix, body, o = {}) {
  const ui = { page: undefined, sb: undefined, values: [], shots };
  const checks = uiChecks(prefix, () => ui.page);
  ui.check = checks.check;
  ui.shot = (name) => ui.page.screenshot({ path: join(shots, `${name}.png`) });
  ui.quickOpen = (relPath) => quickOpen(ui.page, relPath);
  ui.waitForLens = (text, timeoutMs) => waitForLens(ui.page, text, timeoutMs);
  ui.quickInput = (text, o) => quickInput(ui.page, text, o);
  ui.palette = (title) => palette(ui.page, title);
  ui.collapseTree = () => collapseTree(ui.page);
  ui.expand = (name) => expand(ui.page, name);
  ui.goTo = (line, col) => goTo(ui.page, line, col);
  const dir = mkdtempSync(join(tmpdir(), `ml-secrets-ui-${prefix}-`));
  let wb;
  try {
    ui.sb = await startSandbox({ dir, log: () => undefined, ...(o.sandbox ?? {}) });
    const sb = ui.sb;
    for (const [, keys] of sb.emulator.state.secrets) for (const v of keys.values()) ui.values.push(Buffer.from(v, 'base64').toString('utf8'));
    for (const sec of sb.zenml.state.secrets.values()) ui.values.push(...Object.values(sec.values));
    for (const sec of sb.flyte.state.secrets.values()) ui.values.push(Buffer.from(sec.value).toString('utf8'));
    for (const user of sb.mosaic.state.secrets.keys()) for (const sec of sb.mosaic.state.list(user)) ui.values.push(typeof sec.value === 'string' ? sec.value : JSON.stringify(sec.value));
    wb = await openWorkbench({ server: sb.server, folder: sb.workspace, extensionDevelopmentPath: repo, viewport: o.viewport ?? { width: 1500, height: 950 }, onExtensionHostOutput: () => undefined, log: () => undefined });
    ui.page = wb.page;
    await waitForWorkbench(ui.page);
    await body(ui);
  } catch (e) {
    checks.fail('UI session', e);
  } finally {
    await wb?.close().catch(() => undefined);
    await ui.sb?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  checks.finish();
}

/** Quick Open (Ctrl+P): waits for the file to be listed before choosing it (the list fills asynchronously). */
export async function quickOpen(page, relPath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  const base = relPath.split('/').pop();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 20_000 });
  // Enter takes the focused row: wait until it is this file (the list fills and re-sorts as the search runs).
  const dir = relPath.split('/').slice(-2, -1)[0];
  await waitUntil(
    () =>
      page.evaluate(([b, d]) => {
        const t = document.querySelector('.quick-input-widget .monaco-list-row.focused')?.textContent ?? '';
        return t.includes(b) && (!d || t.includes(d));
      }, [base, dir]),
    { timeout: 20_000, message: `Quick Open to pick ${relPath}` },
  );
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
  await page.locator('.tabs-container .tab.active', { hasText: base }).first().waitFor({ timeout: 20_000 });
}

/** Types into the open quick input (pick or input box) and accepts. */
export async function quickInput(page, text, { placeholderOrTitle } = {}) {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible' });
  if (placeholderOrTitle) await page.locator('.quick-input-widget', { hasText: placeholderOrTitle }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
  const input = page.locator('.quick-input-widget input').first();
  await input.fill(text);
  await focusedRowShows(page, text);
  const before = await quickInputState(page);
  await page.keyboard.press('Enter');
  await quickInputMovedOn(page, before, `entering '${text}'`);
}

/**
 * Waits for a code lens with this text in the active editor. VS Code paints lenses lazily; when a
 * file is opened while other work is going on the paint can lag, so the editor is scrolled now and
 * then (as a reader would) to have it painted.
 */
export async function waitForLens(page, text, timeoutMs = 30_000) {
  const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: text }).first();
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await lens.isVisible().catch(() => false)) return;
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    const box = await editor.boundingBox().catch(() => null);
    if (box) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, 120);
      // Let the editor paint the scrolled lines (two animation frames) before scrolling back.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.mouse.wheel(0, -120);
    }
    // Returns as soon as the lens is painted; after a second without it, scroll again.
    await lens.waitFor({ state: 'visible', timeout: Math.max(1, Math.min(1000, end - Date.now())) }).catch(() => undefined);
  }
  const seen = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts().catch(() => []);
  throw new Error(`no code lens '${text}' (lenses shown: ${JSON.stringify(seen.slice(0, 8))})`);
}

/** Runs a command from the palette (F1) and waits until the palette has handed over to it. */
export async function palette(page, commandTitle) {
  const input = page.locator('.quick-input-widget input').first();
  // Opened again if it closes before it takes the text (a dialog closing just then made the page inert
  // for a moment, and the palette lost its focus and closed, once in CI).
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const typed = await input
      .waitFor({ state: 'visible', timeout: 10_000 })
      .then(() => input.fill(`>${commandTitle}`, { timeout: 10_000 }))
      .then(() => true, (e) => (attempt >= 3 ? Promise.reject(e) : false));
    if (typed) break;
  }
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: commandTitle }).first().waitFor();
  await focusedRowShows(page, commandTitle);
  await page.keyboard.press('Enter');
  // Wait until the command palette has handed over (closed, or replaced by the command's own input).
  await waitUntil(async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'), { timeout: 15_000, message: `the command palette to hand over to '${commandTitle}'` });
}

/**
 * Collapses the ML Secrets tree (its title action) and waits until the tree has shown no expanded row
 * (watched in the page: a connection that loads just then may expand again at once, as the tree reveals it).
 */
export async function collapseTree(page) {
  await page.evaluate(() => {
    const none = () => !document.querySelector('.sidebar [role="treeitem"][aria-expanded="true"]');
    window.__mlSecretsCollapsed = new Promise((resolve) => {
      if (none()) return resolve(true);
      const observer = new MutationObserver(() => none() && (observer.disconnect(), resolve(true)));
      observer.observe(document.querySelector('.sidebar') ?? document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-expanded'] });
      setTimeout(() => (observer.disconnect(), resolve(none())), 10_000);
    });
  });
  await page.locator('.sidebar .title-actions a[aria-label^="Collapse All"], .sidebar a.codicon-collapse-all').first().click();
  assert(await page.evaluate(() => window.__mlSecretsCollapsed), 'the tree did not collapse within 10 s');
}

/** Expands the tree row whose accessible name matches. */
export async function expand(page, name) {
  const row = page.getByRole('treeitem', { name }).first();
  await row.waitFor({ timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}
