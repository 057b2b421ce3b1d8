#!/usr/bin/env node
// UI tests: the sandbox (emulators + real VS Code + ML Secrets) driven in Chromium by Playwright, the
// way a person uses it. Each check takes a screenshot into .test-output/ui/ and asserts on what the
// page shows. Prints `N passed, N failed`. Shared helpers: ./lib.mjs.
import { join } from 'node:path';
import { assert, runUi, shots, waitUntil } from './lib.mjs';

await runUi('main', async (ui) => {
  const { page, sb, values, check, quickOpen, waitForLens } = ui;
  await check('the ML Secrets view shows connections, projects and secrets', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="ML Secrets"], .activitybar [aria-label^="ML Secrets"]').first().click();
    const tree = page.locator('.pane-body .monaco-list[aria-label*="Secrets"], .split-view-view .monaco-list').first();
    await page.getByRole('treeitem', { name: /WANDB_API_KEY/ }).first().waitFor({ timeout: 30_000 });
    await page.getByRole('treeitem', { name: /apolo-demo/ }).first().waitFor();
    await page.getByRole('treeitem', { name: /neuro-demo/ }).first().waitFor();
    const text = await page.locator('.sidebar').innerText();
    await page.getByRole('treeitem', { name: /mlflow_secret/ }).first().waitFor({ timeout: 30_000 });
    for (const s of ['apolo-demo', 'neuro-demo', 'zenml-demo', 'demo-project', 'WANDB_API_KEY', 'HF_TOKEN', 'aws-creds.json', 'mlflow_secret']) assert(text.includes(s) || (await page.locator('.sidebar').innerText()).includes(s), `the view does not show ${s}`);
    await page.screenshot({ path: join(shots, 'tree.png') });
    void tree;
  });

  await check('no secret value appears anywhere on screen', async () => {
    const text = await page.locator('body').innerText();
    for (const v of values) for (const line of v.split('\n').filter((l) => l.length >= 12)) assert(!text.includes(line), 'a secret value is visible');
  });

  await check('opening .apolo/live.yml shows code lenses: ✓ exists and Missing — Create…', async () => {
    await quickOpen('.apolo/live.yml');
    await waitForLens('Missing: pip-index-token');
    await waitForLens('✓ WANDB_API_KEY exists in demo-org/demo-project');
    await page.screenshot({ path: join(shots, 'editor-lenses.png') });
  });

  await check('the Problems panel lists the missing secrets with the ML Secrets source', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'openai_key' not found" }).first();
    await row.waitFor({ timeout: 30_000 });
    const panel = await page.locator('.markers-panel').innerText();
    assert(/pip-index-token/.test(panel), 'pip-index-token missing from Problems');
    assert(!/old-token/.test(panel), 'an ignored line reached Problems');
    assert(!/WANDB_API_KEY' not found/.test(panel), 'an existing secret was flagged');
    await page.screenshot({ path: join(shots, 'problems.png') });
  });

  await check('the Neu.ro file is checked against the Neu.ro connection', async () => {
    await quickOpen('.neuro/live.yml');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'comet_api_key' not found in demo-org/ml-team" }).first().waitFor({ timeout: 30_000 });
    await waitForLens('✓ aws-creds.json exists in demo-org/ml-team');
    await page.screenshot({ path: join(shots, 'neuro.png') });
  });

  await check('hover on a reference shows its status as plain text; its only command links are our own actions', async () => {
    await quickOpen('.apolo/live.yml');
    // Go to the reference (line 24 of the demo file) and ask for the hover from the keyboard.
    await ui.goTo(24, 25);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover', { hasText: 'ML Secrets — secret openai_key' }).first();
    await hover.waitFor({ timeout: 15_000 });
    const text = await hover.innerText();
    assert(/not found in demo-org\/demo-project/.test(text), `hover says: ${text}`);
    // The hover trusts only ML Secrets' action commands (src/language/hoverActions.ts), with argument
    // objects it builds itself: every command link is one of those, and its arguments decode to
    // the connection, scope and a checked name — file text never reaches a link.
    const allowed = ['mlSecrets.addSecret', 'mlSecrets.copyReference', 'mlSecrets.revealSecret', 'mlSecrets.refresh'];
    const hrefs = await hover.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-href') || a.getAttribute('href') || '').filter((h) => h.startsWith('command:')));
    assert(hrefs.length >= 2, `the hover has no Create… / Refresh links: ${hrefs.join(' ')}`);
    for (const h of hrefs) {
      const m = /^command:([\w.]+)(?:\?(.*))?$/.exec(h);
      assert(m && allowed.includes(m[1]), `a command link that is not ours: ${h}`);
      const args = m[2] ? JSON.parse(decodeURIComponent(m[2])) : [];
      assert(Array.isArray(args) && args.length <= 1, `unexpected arguments: ${h}`);
      for (const [k, v] of Object.entries(args[0] ?? {})) assert(typeof v === 'boolean' || /^[\w.\-/]*$/.test(String(v)), `argument ${k} carries text: ${v}`);
    }
    assert(/Create…/.test(text) && /Refresh/.test(text) && !/draggable|"/.test(text), `the action links don't render as links: ${text}`);
    assert(hrefs.some((h) => h.startsWith('command:mlSecrets.addSecret') && decodeURIComponent(h).includes('"name":"openai_key"')), 'no Create… for the missing secret');
    await page.screenshot({ path: join(shots, 'hover.png') });
  });
  await check('Peek Definition on a reference shows the secret described (names, scope, dates; never a value)', async () => {
    await quickOpen('.apolo/live.yml');
    // WANDB_API_KEY: secret:WANDB_API_KEY (line 8 of the demo file), which exists.
    await ui.goTo(8, 30);
    await ui.palette('Peek Definition');
    const peek = page.locator('.peekview-widget').first();
    await peek.waitFor({ timeout: 15_000 });
    // The peek's embedded editor renders after the widget.
    // (The embedded editor renders spaces as no-break spaces.)
    const shown = async () => (await peek.innerText()).replace(/\u00a0/g, ' ');
    await waitUntil(async () => (await shown()).includes('Connection: apolo-demo'), { message: 'the peek to show the secret description' });
    const text = await shown();
    assert(/Connection: apolo-demo/.test(text) && /demo-project/.test(text), `the peek says: ${text}`);
    for (const v of values) for (const line of v.split('\n').filter((l) => l.length >= 12)) assert(!text.includes(line), 'a secret value in the peek');
    // The secret is revealed and selected in the Secrets view.
    await page.locator('.sidebar [role="treeitem"][aria-selected="true"]', { hasText: 'WANDB_API_KEY' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'peek.png') });
    await page.keyboard.press('Escape');
  });

  await check('completion inside secret: offers the project\'s names with scope and date (Ctrl+Space)', async () => {
    await quickOpen('.apolo/live.yml');
    // Right after `secret:` on line 24 (`OPENAI_KEY: secret:openai_key`): every name of demo-project.
    await ui.goTo(24, 26);
    await page.keyboard.press('Control+Space');
    const widget = page.locator('.suggest-widget.visible, .suggest-widget', { hasText: 'WANDB_API_KEY' }).first();
    await widget.waitFor({ timeout: 20_000 });
    await page.locator('.suggest-widget .monaco-list-row', { hasText: 'HF_TOKEN' }).first().waitFor({ timeout: 10_000 });
    const text = await widget.innerText();
    assert(/demo-org\/demo-project/.test(text), `no scope in the suggestions: ${text}`);
    for (const v of values) for (const line of v.split('\n').filter((l) => l.length >= 12)) assert(!text.includes(line), 'a secret value is in the suggestions');
    await page.screenshot({ path: join(shots, 'completion.png') });
    await page.keyboard.press('Escape');
  });

  await check('the {} language status item names the connection the job file is checked against', async () => {
    await quickOpen('.apolo/live.yml');
    await page.keyboard.press('Escape');
    const item = page.locator('.statusbar-item[id="status.languageStatus"]').first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();
    // The language status hover: one .hover-language-status row per item (ours: the connection, and Choose Connection).
    await page.locator('.hover-language-status', { hasText: 'apolo-demo' }).first().waitFor({ timeout: 15_000 });
    const text = (await page.locator('.hover-language-status').allInnerTexts()).join('\n');
    assert(/list (just fetched|\d+ min old)|loading/.test(text), `the status hover says: ${text}`);
    assert(/Refresh/.test(text) && /Choose Connection/.test(text), `no Refresh / Choose Connection in: ${text}`);
    await page.screenshot({ path: join(shots, 'language-status.png') });
    await page.keyboard.press('Escape');
  });
  await check('ZenML: secrets show their key names (never values) in the tree', async () => {
    await page.getByRole('treeitem', { name: /mlflow_secret/ }).first().click();
    await page.getByRole('treeitem', { name: /^tracking_uri/ }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('treeitem', { name: /^password/ }).first().waitFor();
    const text = await page.locator('.sidebar').innerText();
    assert(/private/.test(text) && /public/.test(text), 'private / public not shown');
    for (const v of values) for (const line of v.split('\n').filter((l) => l.length >= 12)) assert(!text.includes(line), 'a value is visible in the tree');
    await page.screenshot({ path: join(shots, 'zenml-tree.png') });
  });

  await check('ZenML: {{name.key}} in a stack component file — key-missing and secret-missing', async () => {
    await quickOpen('stack-components.yaml');
    // Lenses first, while the editor has the full height (the Problems panel can hide the lines).
    await waitForLens('✓ mlflow_secret.username exists in zenml-emulator');
    await waitForLens('Missing: k8s_context — Create…');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'mlflow_secret' has no key 'token'" }).first().waitFor({ timeout: 30_000 });
    await page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'k8s_context' not found" }).first().waitFor();
    await page.screenshot({ path: join(shots, 'zenml-stack.png') });
  });

  await check('the Missing group: secrets that job files reference (open or not), their files, and a one-click Create', async () => {
    await ui.collapseTree();
    await ui.expand(/^zenml-demo/);
    // pipelines/train.yaml was never opened: the workspace-wide check found its 'wandb'.
    await page.getByRole('treeitem', { name: /^Missing \(2\)/ }).first().waitFor({ timeout: 30_000 });
    await ui.expand(/^Missing \(2\)/);
    const row = page.getByRole('treeitem', { name: /^k8s_context/ }).first();
    await row.waitFor();
    await page.getByRole('treeitem', { name: /^wandb\b/ }).first().waitFor();
    await ui.expand(/^k8s_context/);
    await page.getByRole('treeitem', { name: /^stack-components\.yaml/ }).first().waitFor({ timeout: 10_000 });
    await row.hover();
    const create = row.locator('.actions a[aria-label^="Add Secret"], .actions [aria-label^="Add Secret"]').first();
    await create.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'missing-group.png') });
    await create.click();
    // The Create flow starts with the name and scope filled in; it asks only for what it can't know.
    const input = page.locator('.quick-input-widget');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    const text = await input.innerText();
    assert(/k8s_context/.test(text), `the Create prompt doesn't name the secret: ${text.slice(0, 300)}`);
    await page.screenshot({ path: join(shots, 'missing-create.png') });
    await page.keyboard.press('Escape');
    await ui.collapseTree();
  });

  await check('ZenML stacks: Stacks → demo_stack → components, each {{name.key}} with its status, and the inline Register button', async () => {
    await ui.collapseTree();
    await ui.expand(/^zenml-demo/);
    await ui.expand(/^Stacks \(2\)/);
    const stack = page.getByRole('treeitem', { name: /^demo_stack, stack/ }).first();
    await stack.waitFor({ timeout: 30_000 });
    await stack.getByText('2 secrets missing · 1 key missing').waitFor({ timeout: 15_000 });
    await ui.expand(/^demo_stack, stack/);
    await ui.expand(/^mlflow_tracker, experiment_tracker · mlflow/);
    await page.getByRole('treeitem', { name: /^mlflow_secret\.token, key missing/ }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('treeitem', { name: /^mlflow_secret\.username, exists/ }).first().waitFor();
    await ui.expand(/^s3_store, artifact_store · s3/);
    await page.getByRole('treeitem', { name: /^s3_creds\.aws_access_key_id, secret missing/ }).first().waitFor({ timeout: 15_000 });
    const text = await page.locator('.sidebar').innerText();
    for (const v of values) for (const line of v.split('\n').filter((l) => l.length >= 12)) assert(!text.includes(line), 'a value is visible in the tree');
    assert(!text.includes('demo-bucket') && !text.includes('C0DEMO123'), 'a plain configuration value is shown');
    await stack.hover();
    await stack.locator('.actions [aria-label^="Register Missing Secrets for Stack"]').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'zenml-stacks.png') });
    await ui.collapseTree();
  });

  const { collapseTree, expand } = ui;

  await check('MosaicML: secrets grouped by type, with env var name or mount path', async () => {
    await collapseTree();
    await expand(/^mosaic-demo/);
    await expand(/^Your secrets/);
    await expand(/^environment/);
    await expand(/^git-ssh/);
    await page.getByRole('treeitem', { name: /^git-ssh/ }).first().waitFor();
    await page.getByRole('treeitem', { name: /^wandb-key/ }).first().waitFor();
    const text = await page.locator('.sidebar').innerText();
    assert(/WANDB_API_KEY/.test(text), 'the env var name is not shown');
    assert(/\/secrets\//.test(text), 'no mount path shown');
    await page.screenshot({ path: join(shots, 'mosaic-tree.png') });
  });

  await check('Flyte: org-wide, domain and project/domain scopes, partial presence shown', async () => {
    await collapseTree();
    await expand(/^flyte-demo/);
    await expand(/^flytesnacks \/ development/);
    await page.getByRole('treeitem', { name: /^hf-token/ }).first().waitFor({ timeout: 20_000 });
    const text = await page.locator('.sidebar').innerText();
    assert(/missing on c2/.test(text), `presence not shown: ${text.slice(0, 400)}`);
    assert(/org-wide/.test(text) && /domain-wide/.test(text), 'scopes not shown');
    await page.screenshot({ path: join(shots, 'flyte-tree.png') });
  });

  await check('Flyte: Python references — missing (with the lookup order) and malformed, with lenses', async () => {
    await quickOpen('workflows/train.py');
    // Lenses first, with the focus still in the editor (as in the ZenML check).
    await waitForLens('Missing: replicate-api-token — Create…');
    await waitForLens('✓');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'replicate-api-token' not found in flytesnacks/development, then domain development, then org-wide" }).first().waitFor({ timeout: 30_000 });
    await page.locator('.markers-panel .monaco-list-row', { hasText: 's3 creds' }).first().waitFor();
    const panel = await page.locator('.markers-panel').innerText();
    assert(!/not-checked|in-a-comment/.test(panel), 'a docstring or comment was checked');
    await page.screenshot({ path: join(shots, 'flyte-python.png') });
  });

  await check('MosaicML: <<name>> in a run YAML bound to the MosaicML connection', async () => {
    await quickOpen('mosaic-project/finetune.yaml');
    await page.locator('.markers-panel .monaco-list-row', { hasText: "Secret 'openai-key' not found" }).first().waitFor({ timeout: 30_000 });
    await waitForLens('✓ wandb-key');
    await page.screenshot({ path: join(shots, 'mosaic-yaml.png') });
    // Back to the Apolo part of the tree for the flows below.
    await collapseTree();
    await expand(/^apolo-demo/);
    await expand(/^demo-project/);
  });

  await check('Apolo sharing: Shared with me (owner, level) and Who has access with an inline Revoke that asks first', async () => {
    await collapseTree();
    await expand(/^apolo-demo/);
    // The sandbox seed: bob shared his user-scoped dataset-token (read), partner-org/research lets alice
    // see HF_READ_TOKEN exist (list), and alice granted bob read on WANDB_API_KEY.
    await expand(/^Shared with me \(2\)/);
    await page.getByRole('treeitem', { name: /^dataset-token, shared by bob, level read/ }).first().waitFor({ timeout: 20_000 });
    await page.getByRole('treeitem', { name: /^HF_READ_TOKEN, shared by partner-org\/research, level list/ }).first().waitFor();
    await page.screenshot({ path: join(shots, 'shared-with-me.png') });
    await expand(/^demo-project/);
    await expand(/^WANDB_API_KEY/);
    await expand(/^Who has access/);
    const row = page.getByRole('treeitem', { name: /^bob, read/ }).first();
    await row.waitFor({ timeout: 20_000 });
    await row.hover();
    const revoke = row.locator('.actions [aria-label^="Revoke Access"]').first();
    await revoke.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'who-has-access.png') });
    await revoke.click();
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ timeout: 15_000 });
    const text = await dialog.innerText();
    assert(/Revoke bob's access to secret 'WANDB_API_KEY' in demo-org\/demo-project/.test(text), `dialog says: ${text}`);
    await page.screenshot({ path: join(shots, 'revoke-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    // Nothing happens on screen when Cancel works: a settle gives a wrong revoke time to reach the emulator.
    await page.waitForTimeout(500);
    assert(sb.emulator.state.actionFor('bob', 'secret://default/demo-org/demo-project/WANDB_API_KEY') === 'read', 'the grant was revoked after Cancel');
    await collapseTree();
    await expand(/^apolo-demo/);
    await expand(/^demo-project/);
  });

  // ---- interactive flows, the way a person does them (palette, quick inputs, dialogs)

  const { palette } = ui;
  const quickInput = ui.quickInput;

  await check('Add Secret from the palette: name, then a masked value; the tree and the platform have it', async () => {
    await palette('ML Secrets: Add Secret');
    await quickInput('apolo-demo'); // which connection
    await quickInput('ui-added-token'); // name
    await quickInput('Type the value'); // how
    await page.locator('.quick-input-widget', { hasText: 'Value (hidden' }).first().waitFor({ timeout: 15_000 });
    const input = page.locator('.quick-input-widget input').first();
    assert((await input.getAttribute('type')) === 'password', 'the value input is not masked');
    await input.fill('ui-secret-value-123');
    await page.screenshot({ path: join(shots, 'add-masked-value.png') });
    await page.keyboard.press('Enter');
    await page.getByRole('treeitem', { name: /ui-added-token/ }).first().waitFor({ timeout: 15_000 });
    const stored = sb.emulator.state.getSecret('demo-org', 'demo-project', 'ui-added-token');
    assert(stored && Buffer.from(stored, 'base64').toString('utf8') === 'ui-secret-value-123', 'the emulator did not get the value');
    const text = await page.locator('body').innerText();
    assert(!text.includes('ui-secret-value-123'), 'the value is visible on screen');
  });

  await check('ZenML: Add Secret asks for key / value pairs one at a time, values masked, then public or private', async () => {
    await expand(/^zenml-demo/);
    await expand(/^zenml-emulator/);
    await palette('ML Secrets: Add Secret');
    await quickInput('zenml-demo');
    await quickInput('ui_zen_secret');
    await quickInput('Type key');
    await quickInput('user_name');
    await page.locator('.quick-input-widget', { hasText: "value of 'user_name'" }).first().waitFor({ timeout: 15_000 });
    let input = page.locator('.quick-input-widget input').first();
    assert((await input.getAttribute('type')) === 'password', 'the value input is not masked');
    await quickInput('zen-value-one-123');
    await quickInput('Add another key');
    await quickInput('api_token');
    await page.locator('.quick-input-widget', { hasText: "value of 'api_token'" }).first().waitFor({ timeout: 15_000 });
    input = page.locator('.quick-input-widget input').first();
    assert((await input.getAttribute('type')) === 'password', 'the second value input is not masked');
    await quickInput('zen-value-two-456');
    await quickInput('Done');
    await quickInput('Private');
    await page.getByRole('treeitem', { name: /ui_zen_secret/ }).first().waitFor({ timeout: 15_000 });
    const stored = sb.zenml.state.findByName('ui_zen_secret');
    assert(stored && stored.private === true, 'not stored as private');
    assert(JSON.stringify(stored.values) === JSON.stringify({ user_name: 'zen-value-one-123', api_token: 'zen-value-two-456' }), 'values not stored as typed');
    const text = await page.locator('body').innerText();
    assert(!text.includes('zen-value-one-123') && !text.includes('zen-value-two-456'), 'a value is visible');
    await page.screenshot({ path: join(shots, 'zenml-added.png') });
  });

  await check('Delete Secret asks in a modal that names the files referencing it; Cancel keeps it', async () => {
    await palette('ML Secrets: Delete Secret');
    await quickInput('apolo-demo');
    await quickInput('WANDB_API_KEY');
    const dialog = page.locator('.monaco-dialog-box').first();
    await dialog.waitFor({ timeout: 15_000 });
    const text = await dialog.innerText();
    assert(/Delete secret 'WANDB_API_KEY' from demo-org\/demo-project/.test(text), `dialog says: ${text}`);
    assert(/\.apolo\/live\.yml/.test(text), `the dialog does not name the referencing file: ${text}`);
    await page.screenshot({ path: join(shots, 'delete-confirm.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    // A settle, kept on purpose: when Cancel works nothing happens on screen, so there is no event to
    // wait for; this gives a wrong delete time to reach the emulator before it is looked at.
    await page.waitForTimeout(500);
    assert(sb.emulator.state.getSecret('demo-org', 'demo-project', 'WANDB_API_KEY'), 'the secret was deleted after Cancel');
  });

  await check('offline: the view shows an Offline node with Retry, not a toast; Retry recovers', async () => {
    sb.emulator.faults.next({ destroySocket: true, times: 1000 });
    await palette('ML Secrets: Refresh');
    await page.getByRole('treeitem', { name: /Offline/ }).first().waitFor({ timeout: 20_000 });
    await page.screenshot({ path: join(shots, 'offline.png') });
    const toasts = await page.locator('.notifications-toasts .notification-toast').count();
    assert(toasts === 0, `${toasts} notification(s) shown for an offline platform`);
    sb.emulator.faults.clear();
    await page.getByRole('treeitem', { name: /Offline/ }).first().click();
    await page.getByRole('treeitem', { name: /WANDB_API_KEY/ }).first().waitFor({ timeout: 20_000 });
  });

  // Sign Out keeps a connection as "Signed out" (test/ui/signIn.test.mjs); removing them all empties the view.
  await check('removing every connection shows the welcome view with Sign In and Import buttons', async () => {
    for (const label of ['neuro-demo', 'zenml-demo', 'mosaic-demo', 'flyte-demo', 'apolo-demo']) {
      await palette('ML Secrets: Remove Connection');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first().waitFor({ timeout: 15_000 });
      await quickInput(label);
    }
    await page.locator('.welcome-view-content', { hasText: 'No platform connected yet' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Sign In' }).first().waitFor();
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Import CLI Credentials' }).first().waitFor();
    await page.screenshot({ path: join(shots, 'welcome.png') });
  });

  await check('Sign In from the welcome view: URL, masked token, project picked from GET /config', async () => {
    await page.locator('.welcome-view-content a.monaco-button', { hasText: 'Sign In' }).first().click();
    await quickInput('Apolo');
    await quickInput(sb.emulator.apiUrl);
    await page.locator('.quick-input-widget', { hasText: 'Sign in to Apolo: token' }).first().waitFor({ timeout: 15_000 });
    const input = page.locator('.quick-input-widget input').first();
    assert((await input.getAttribute('type')) === 'password', 'the token input is not masked');
    await quickInput(sb.users.alice);
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'ml-team' }).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(shots, 'signin-project.png') });
    await quickInput('ml-team');
    await quickInput('my-team'); // label
    await page.getByRole('treeitem', { name: /my-team/ }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('treeitem', { name: /OPENAI_API_KEY/ }).first().waitFor({ timeout: 15_000 });
    const text = await page.locator('body').innerText();
    assert(!text.includes(sb.users.alice), 'the token is visible on screen');
    await page.screenshot({ path: join(shots, 'signed-in.png') });
  });
});
