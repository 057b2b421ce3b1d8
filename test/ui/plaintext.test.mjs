#!/usr/bin/env node
// UI test for plaintext tokens (issue 16), as a person meets them: a job file with a Hugging Face
// token gets a warning squiggle and a Problems row that names the kind of token but never shows it;
// Ctrl+. offers "Move to a platform secret…"; choosing the connection and accepting the suggested
// name creates the secret on the emulator with the token as its value and leaves `secret:hf_token`
// in the file. A notebook's saved output with a token is reported on its cell. The token is
// synthetic, made at run time. Screenshots in .test-output/ui/plaintext-*.png.
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assert, goTo, runUi, waitUntil } from './lib.mjs';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const synthetic = () => `hf_${Array.from({ length: 34 }, () => LETTERS[randomInt(LETTERS.length)]).join('')}`;

await runUi('plaintext', async (ui) => {
  const { page, sb, check, quickOpen, quickInput } = ui;
  const root = dirname(sb.workspace);
  const token = synthetic();

  await check('a token in a job file: a warning on it, and a Problems row that names the kind, never the token', async () => {
    const file = join(root, 'apolo-project', 'jobs', 'leaky.yaml');
    writeFileSync(file, ['kind: batch', 'tasks:', '  - id: eval', '    image: python:3.12', '    env:', `      HF_TOKEN: ${token}`, ''].join('\n'));
    await quickOpen('jobs/leaky.yaml');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Hugging Face token is in plain text' }).first();
    await row.waitFor({ timeout: 30_000 });
    const panel = await page.locator('.markers-panel').innerText();
    assert(!panel.includes(token) && !panel.includes(token.slice(3, 15)), 'the Problems panel shows the token');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 15_000 });
    await ui.shot('plaintext-1-problem');
    await page.keyboard.press('Control+Shift+M');
  });

  await check('Ctrl+. → Move to a platform secret… → connection → name: the secret exists with the value, the file reads secret:hf_token', async () => {
    await goTo(page, 6, 20);
    const menu = page.locator('.action-widget, .context-view', { hasText: 'Move to a platform secret' }).first();
    // Ctrl+. right after Go to Line can land while its box is still closing: ask again if no menu came.
    await waitUntil(
      async () => {
        await page.keyboard.press('Control+.');
        return menu.waitFor({ timeout: 5_000 }).then(() => true, () => false);
      },
      { timeout: 20_000, message: 'the quick fix menu' },
    );
    const items = await menu.innerText();
    assert(/Ignore plaintext tokens on this line/.test(items), `quick fixes: ${items}`);
    assert(!items.includes(token), 'the quick fix menu shows the token');
    await ui.shot('plaintext-2-quickfix');
    await page.locator('.action-widget .monaco-list-row, .context-view .monaco-list-row', { hasText: 'Move to a platform secret' }).first().click();
    // apolo-project has two Apolo-API connections: the picker asks which.
    await page.locator('.quick-input-widget', { hasText: 'Move the token into a secret of which connection?' }).first().waitFor({ timeout: 15_000 });
    await ui.shot('plaintext-3-connection');
    await quickInput('apolo-demo');
    const box = page.locator('.quick-input-widget', { hasText: 'Name of the new secret' }).first();
    await box.waitFor({ timeout: 15_000 });
    const suggested = await page.locator('.quick-input-widget input').first().inputValue();
    assert(suggested === 'hf_token', `suggested name: ${suggested}`);
    await ui.shot('plaintext-4-name');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('.monaco-editor .view-lines')?.textContent?.includes('secret:hf_token'), undefined, { timeout: 20_000 });
    const stored = await waitUntil(() => sb.emulator.state.getSecret('demo-org', 'demo-project', 'hf_token'), { timeout: 10_000, message: 'the secret on the emulator' });
    assert(Buffer.from(stored, 'base64').toString('utf8') === token, 'the secret does not hold the token');
    // The warning goes with the token; nothing on screen shows the token any more (VS Code's own
    // off-screen screen-reader announcements of the edited line aside).
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'detached', timeout: 15_000 });
    const where = await waitUntil(
      () => page.evaluate((t) => {
        const hits = [...document.querySelectorAll('body *')].filter((el) => el.children.length === 0 && !el.closest('.monaco-aria-container') && (el.textContent ?? '').includes(t));
        return hits.length ? hits.map((el) => `${el.tagName}.${el.className}`).join(', ') : 'none';
      }, token).then((w) => (w === 'none' ? w : undefined)),
      { timeout: 10_000, message: 'the token to leave the screen' },
    ).catch(async () => page.evaluate((t) => [...document.querySelectorAll('body *')].filter((el) => el.children.length === 0 && !el.closest('.monaco-aria-container') && (el.textContent ?? '').includes(t)).map((el) => `${el.tagName}.${el.className}`).join(', '), token));
    assert(where === 'none', `the token is still on screen in: ${where}`);
    await ui.shot('plaintext-5-moved');
  });

  await check("a notebook's saved output with a token: reported on its cell, with Clear this cell's output", async () => {
    const other = synthetic();
    const file = join(root, 'apolo-project', 'notebooks', 'explore.ipynb');
    mkdirSync(dirname(file), { recursive: true });
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { language_info: { name: 'python' } },
      cells: [{ cell_type: 'code', id: 'c1', metadata: {}, execution_count: 1, source: ['import os\n', 'print(os.environ)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`environ({'HF_TOKEN': '${other}'})\n`] }] }],
    };
    writeFileSync(file, JSON.stringify(nb, null, 1));
    await quickOpen('notebooks/explore.ipynb');
    await page.keyboard.press('Control+Shift+M');
    // Only this kind of problem (the demo has many others).
    await page.locator('.markers-panel-action-filter input, .viewpane-filter input').first().fill('saved output');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "in this cell's saved output" }).first().waitFor({ timeout: 30_000 });
    const panel = await page.locator('.markers-panel').innerText();
    assert(!panel.includes(other), 'the Problems panel shows the token');
    await ui.shot('plaintext-6-notebook-output');
    await page.locator('.markers-panel-action-filter input, .viewpane-filter input').first().fill('');
    await page.keyboard.press('Control+Shift+M');
  });
});
