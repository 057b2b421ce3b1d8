#!/usr/bin/env node
// UI test of the Get Started walkthrough (issue 17), as a person goes through it in the sandbox:
// it opens from Welcome: Open Walkthrough…, its pictures show, "Connect a platform" is done (the
// sandbox's connections), opening a job file completes "Open a job file", and creating the missing
// secret from its Create… lens completes "Create a missing secret", and its Run the Pre-flight Check button
// runs `ml-secrets check` in a terminal and completes the last step. Screenshots in .test-output/ui/walkthrough-*.png.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, runUi, waitUntil, walkthroughStepDone } from './lib.mjs';

async function openWalkthrough(ui) {
  await ui.palette('Welcome: Open Walkthrough...');
  await ui.quickInput('Get started with ML Secrets');
  await ui.page.locator('.gettingStartedContainer', { hasText: 'Connect a platform' }).first().waitFor({ timeout: 20_000 });
}

await runUi('walkthrough', async (ui) => {
  const { page, sb, check, quickOpen, quickInput, waitForLens } = ui;

  await check('the walkthrough opens with its four steps and a picture; Connect a platform is done', async () => {
    await openWalkthrough(ui);
    const text = await page.locator('.gettingStartedContainer').first().innerText();
    for (const s of ['Connect a platform', 'Open a job file', 'Create a missing secret', 'Run the pre-flight check']) assert(text.includes(s), `no step '${s}'`);
    await waitUntil(() => walkthroughStepDone(page, 'Connect a platform'), { timeout: 15_000, message: 'Connect a platform to be done' });
    await page.locator('.gettingStartedContainer img').first().waitFor({ timeout: 15_000 });
    await ui.shot('walkthrough-1-connect');
  });

  await check('opening a job file completes "Open a job file"; creating the missing secret from its lens completes "Create a missing secret"', async () => {
    assert((await walkthroughStepDone(page, 'Open a job file')) === false, 'Open a job file was done before any file was opened');
    assert((await walkthroughStepDone(page, 'Create a missing secret')) === false, 'Create a missing secret was done before any was created');
    await quickOpen('.apolo/live.yml');
    await waitForLens('Missing: pip-index-token');
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Missing: pip-index-token' }).first().click();
    const how = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Type the value' }).first();
    // The value's source is asked first (typed, or a file like the CLI's @file).
    await how.waitFor({ timeout: 15_000 });
    await quickInput('Type the value');
    await page.locator('.quick-input-widget', { hasText: 'Value (hidden' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').first().fill('walkthrough-value-123');
    await ui.shot('walkthrough-create-value');
    await page.keyboard.press('Enter');
    await waitUntil(() => sb.emulator.state.getSecret('demo-org', 'demo-project', 'pip-index-token'), { timeout: 15_000, message: 'pip-index-token on the emulator' });
    await openWalkthrough(ui);
    await waitUntil(() => walkthroughStepDone(page, 'Open a job file'), { timeout: 15_000, message: 'Open a job file to be done' });
    await waitUntil(() => walkthroughStepDone(page, 'Create a missing secret'), { timeout: 15_000, message: 'Create a missing secret to be done' });
    await ui.shot('walkthrough-2-done');
  });

  await check('"Run the Pre-flight Check" runs ml-secrets check in a terminal and completes the last step', async () => {
    assert((await walkthroughStepDone(page, 'Run the pre-flight check')) === false, 'Run the pre-flight check was done before it ran');
    await page.locator('button.getting-started-step', { hasText: 'Run the pre-flight check' }).first().click();
    await page.locator('.getting-started-step.expanded .monaco-button', { hasText: 'Run the Pre-flight Check' }).first().click();
    // A multi-root workspace: the check asks which folder.
    await ui.quickInput('mosaic-project');
    // The terminal's text, as xterm's DOM renderer shows it (the sandbox turns GPU rendering off).
    let text = '';
    const rows = async () => (text = await page.locator('.xterm-rows').first().innerText().catch(() => ''));
    await waitUntil(async () => /ml-secrets check exited with 1/.test(await rows()), { timeout: 60_000, message: () => `the check's end in the terminal (it shows ${JSON.stringify(text.slice(-400))})` });
    assert(/finetune\.yaml:\d+:\d+: error secret-missing/.test(text), `no secret-missing finding in the terminal: ${text.slice(0, 600)}`);
    // eval.yaml's plaintext token is reported masked, never shown.
    assert(/eval\.yaml:\d+:\d+: warning plaintext-secret/.test(text), `no plaintext-secret finding in the terminal: ${text.slice(0, 600)}`);
    assert(/file\(s\), \d+ reference\(s\):/.test(text), 'no summary line in the terminal');
    for (const v of ui.values) assert(!text.includes(v), 'a secret value in the terminal');
    const token = /HF_TOKEN: (hf_\w+)/.exec(readFileSync(join(sb.root, 'mosaic-project', 'eval.yaml'), 'utf8'))?.[1];
    assert(token && !text.includes(token) && !text.includes(token.slice(3, 20)), "eval.yaml's token in the terminal");
    await ui.shot('walkthrough-preflight');
    await openWalkthrough(ui);
    await waitUntil(() => walkthroughStepDone(page, 'Run the pre-flight check'), { timeout: 15_000, message: 'Run the pre-flight check to be done' });
    await ui.shot('walkthrough-3-all-done');
  });
});
