// Shared by the UI test files (test/ui/*.test.mjs): the sandbox (emulators + real VS Code + ML
// Secrets) opened in Chromium by Playwright, checks that take screenshots into .test-output/ui/, and
// the waits a person's pace needs. Each file runs its own sandbox and prints `N passed, N failed`.
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
 * Runs `body(ui)` against a fresh sandbox and workbench; `ui` has the page, the sandbox, `check`
 * and the helpers below. Prints the results and exits with their status.
 * @param {string} prefix screenshot name prefix (failure shots)
 * @param {(ui: any) => Promise<void>} body
 * @param {{ sandbox?: object, viewport?: {width: number, height: number} }} [o]
 */
export async function runUi(prefix, body, o = {}) {
  const results = [];
  const ui = { page: undefined, sb: undefined, values: [], shots };
  ui.check = async (name, fn) => {
    const started = Date.now();
    try {
      await fn();
      results.push({ name, ok: true });
      console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      results.push({ name, ok: false, error: e });
      console.log(`  ✗ ${name}: ${e instanceof Error ? e.message : String(e)}`);
      if (ui.page) await ui.page.screenshot({ path: join(shots, `failure-${prefix}-${results.length}.png`) }).catch(() => undefined);
    }
  };
  ui.shot = (name) => ui.page.screenshot({ path: join(shots, `${name}.png`) });
  ui.quickOpen = (relPath) => quickOpen(ui.page, relPath);
  ui.waitForLens = (text, timeoutMs) => waitForLens(ui.page, text, timeoutMs);
  ui.quickInput = (text, o) => quickInput(ui.page, text, o);
  ui.palette = (title) => palette(ui.page, title);
  ui.collapseTree = () => collapseTree(ui.page);
  ui.expand = (name) => expand(ui.page, name);
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
    results.push({ name: 'UI session', ok: false, error: e });
    console.log(`  ✗ UI session: ${e instanceof Error ? e.stack : String(e)}`);
  } finally {
    await wb?.close().catch(() => undefined);
    await ui.sb?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`screenshots: ${shots}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed || !passed ? 1 : 0);
}

/** Quick Open (Ctrl+P): waits for the file to be listed before choosing it (the list fills asynchronously). */
export async function quickOpen(page, relPath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  const base = relPath.split('/').pop();
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: base }).first().waitFor({ timeout: 20_000 });
  await page.waitForTimeout(200);
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
  await page.waitForTimeout(250);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(250);
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
      await page.waitForTimeout(150);
      await page.mouse.wheel(0, -120);
    }
    await page.waitForTimeout(1000);
  }
  const seen = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts().catch(() => []);
  throw new Error(`no code lens '${text}' (lenses shown: ${JSON.stringify(seen.slice(0, 8))})`);
}

/** Runs a command from the palette (F1) and waits until the palette has handed over to it. */
export async function palette(page, commandTitle) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${commandTitle}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: commandTitle }).first().waitFor();
  await page.keyboard.press('Enter');
  // Wait until the command palette has handed over (closed, or replaced by the command's own input).
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const v = await input.inputValue({ timeout: 500 }).catch(() => '');
    if (!v.startsWith('>') || !(await input.isVisible().catch(() => false))) break;
    await page.waitForTimeout(100);
  }
}

/** Collapses the ML Secrets tree (its title action). */
export async function collapseTree(page) {
  await page.locator('.sidebar .title-actions a[aria-label^="Collapse All"], .sidebar a.codicon-collapse-all').first().click();
  await page.waitForTimeout(300);
}

/** Expands the tree row whose accessible name matches. */
export async function expand(page, name) {
  const row = page.getByRole('treeitem', { name }).first();
  await row.waitFor({ timeout: 20_000 });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}
