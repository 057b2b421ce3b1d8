// `ml-secrets check --format sarif` validated against the official SARIF 2.1.0 JSON schema
// (test/fixtures/sarif/, see its NOTICE.md) with ajv (draft-04 meta-schema, as the schema declares).

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Ajv = require('ajv') as new (o: Record<string, unknown>) => { addMetaSchema(s: unknown): void; compile(s: unknown): ((d: unknown) => boolean) & { errors?: unknown } };

function validator(): ((d: unknown) => boolean) & { errors?: unknown } {
  const ajv = new Ajv({ schemaId: 'id', allErrors: true, meta: false, validateSchema: false, unknownFormats: 'ignore' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  const schema = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as unknown;
  return ajv.compile(schema);
}

test('SARIF output is valid SARIF 2.1.0, with rules, levels and relative forward-slash locations', async () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-sarif-'));
  try {
    mkdirSync(path.join(repo, '.git'));
    mkdirSync(path.join(repo, 'my jobs', '.apolo'), { recursive: true });
    writeFileSync(path.join(repo, 'my jobs', '.apolo', 'live.yml'), 'jobs:\n  a:\n    env:\n      X: secret:a/b\n      Y: secret:\n');
    let out = '';
    const code = await main(['check', '--offline', '--format', 'sarif'], { cwd: repo, env: {}, home: repo, out: (s) => (out += s), err: () => undefined });
    assert.equal(code, 1);
    const log = JSON.parse(out) as { version: string; $schema: string; runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<Record<string, any>> }> };
    const validate = validator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    assert.equal(log.runs[0].tool.driver.name, 'ML Secrets');
    assert.ok(log.runs[0].tool.driver.rules.some((r) => r.id === 'secret-missing'));
    const [first] = log.runs[0].results;
    assert.equal(first.ruleId, 'reference-malformed');
    assert.equal(first.level, 'error');
    assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'my%20jobs/.apolo/live.yml');
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 4, startColumn: 10, endLine: 4, endColumn: 20 });
    // A broken log fails the same validator (the schema is really applied).
    assert.equal(validator()({ version: '2.1.0', runs: [{ results: [] }] }), false);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
