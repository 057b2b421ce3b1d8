import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readZenmlCliLogins, zenmlConfigDir } from '../../src/core/platforms/zenml/cliLogins';

function fsOf(files: Record<string, string>) {
  return { readFile: async (p: string) => { if (p in files) return files[p]; throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); } };
}
const HOME = '/home/u';
const DIR = path.join(HOME, '.config', 'zenml');

test('config dir: ZENML_CONFIG_PATH, else the OS app dir', () => {
  assert.equal(zenmlConfigDir({ ZENML_CONFIG_PATH: '/x' }, HOME), '/x');
  assert.equal(zenmlConfigDir({}, HOME, 'linux'), DIR);
  assert.equal(zenmlConfigDir({}, HOME, 'darwin'), path.join(HOME, 'Library', 'Application Support', 'zenml'));
});

test('reads the active store and its credentials (API key first in line)', async () => {
  const fs = fsOf({
    [path.join(DIR, 'config.yaml')]: 'store:\n  type: rest\n  url: https://zen.example.com/\nactive_project_id: 1\n',
    [path.join(DIR, 'credentials.yaml')]: [
      'https://other.example.com:',
      '  url: https://other.example.com',
      '  username: bob',
      '  password: pw',
      'https://zen.example.com:',
      '  url: https://zen.example.com',
      '  api_key: ZENKEY_abc',
      '  api_token:',
      '    access_token: tok',
      '    expires_at: 2030-01-01T00:00:00+00:00',
      'ftp://bad:',
      '  api_key: ZENKEY_x',
    ].join('\n'),
  });
  const { logins, problems } = await readZenmlCliLogins({}, HOME, fs);
  assert.deepEqual(logins.map((l) => [l.url, l.apiKey ?? null, l.username ?? null]), [
    ['https://zen.example.com', 'ZENKEY_abc', null],
    ['https://other.example.com', null, 'bob'],
  ]);
  assert.equal(logins[0].accessToken, 'tok');
  assert.equal(logins[0].expiresAt, Date.parse('2030-01-01T00:00:00+00:00'));
  assert.equal(problems.length, 1);
  assert.ok(!problems.join(' ').includes('ZENKEY_'), 'no key in a problem message');
});

test('ZENML_STORE_* environment comes first; DISABLE_CREDENTIALS_DISK_CACHING skips the file', async () => {
  const fs = fsOf({ [path.join('/cfg', 'credentials.yaml')]: 'https://a.example.com:\n  api_key: ZENKEY_file\n' });
  const env = { ZENML_CONFIG_PATH: '/cfg', ZENML_STORE_URL: 'https://env.example.com', ZENML_STORE_API_KEY: 'ZENKEY_env' };
  const r = await readZenmlCliLogins(env, HOME, fs);
  assert.deepEqual(r.logins.map((l) => l.apiKey), ['ZENKEY_env', 'ZENKEY_file']);
  const r2 = await readZenmlCliLogins({ ...env, DISABLE_CREDENTIALS_DISK_CACHING: 'true' }, HOME, fs);
  assert.deepEqual(r2.logins.map((l) => l.apiKey), ['ZENKEY_env']);
});

test('garbage files are problems, not crashes', async () => {
  const fs = fsOf({ [path.join(DIR, 'config.yaml')]: 'store: [unclosed', [path.join(DIR, 'credentials.yaml')]: '- a list\n- not a map\n' });
  const r = await readZenmlCliLogins({}, HOME, fs);
  assert.deepEqual(r.logins, []);
  assert.equal(r.problems.length, 2);
  const none = await readZenmlCliLogins({}, HOME, fsOf({}));
  assert.deepEqual(none, { logins: [], problems: [], issues: [] });
});
