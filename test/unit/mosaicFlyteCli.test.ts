import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { readFlyteCliLogins } from '../../src/core/platforms/flyte/cliLogins';
import { readMosaicCliLogins } from '../../src/core/platforms/mosaic/cliLogins';
import { decodeFlyteApiKey, flyteBaseUrl } from '../../src/core/platforms/flyte/endpoint';
import { buildCreateInput } from '../../src/core/platforms/mosaic/secretTypes';
import { validateMosaicName } from '../../src/core/platforms/mosaic/names';

const HOME = '/home/u';
function fsOf(files: Record<string, string>) {
  return {
    readFile: async (p: string) => {
      if (p in files) return files[p];
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    },
    exists: async (p: string) => p in files || Object.keys(files).some((f) => f.startsWith(p + '/')),
  };
}

test('mcli: env key first (even over the file), per-mode keys, endpoints by MCLI_MODE', async () => {
  const file = path.join(HOME, '.mosaic', 'mcli_config');
  const fs = fsOf({ [file]: '---\nMOSAICML_API_KEY: file-key\nmcloud_envs: {DEV: dev-key}\n' });
  assert.deepEqual((await readMosaicCliLogins({}, HOME, fs)).logins, [{ source: '~/.mosaic/mcli_config', url: 'https://api.mosaicml.com/graphql', apiKey: 'file-key' }]);
  assert.equal((await readMosaicCliLogins({ MOSAICML_API_KEY: 'env-key' }, HOME, fs)).logins[0].apiKey, 'env-key');
  assert.deepEqual((await readMosaicCliLogins({ MOSAICML_API_KEY: '' }, HOME, fs)).logins, [], 'an empty env key wins, as in mcli');
  const dev = (await readMosaicCliLogins({ MCLI_MODE: 'DEV' }, HOME, fs)).logins[0];
  assert.deepEqual([dev.apiKey, dev.url], ['dev-key', 'https://dev.api.mosaicml.com/graphql']);
  assert.equal((await readMosaicCliLogins({ MOSAICML_API_ENDPOINT: 'http://127.0.0.1:9/graphql' }, HOME, fs)).logins[0].url, 'http://127.0.0.1:9/graphql');
  const alt = path.join('/cfg', 'mcli_config');
  assert.equal((await readMosaicCliLogins({ MCLI_CONFIG_DIR: '/cfg' }, HOME, fsOf({ [alt]: 'MOSAICML_API_KEY: k2\n' }))).logins[0].apiKey, 'k2');
});

test('flyte: the first config in the search order; ClientSecret becomes an API key; browser logins are explained', async () => {
  const ws = '/ws/proj';
  const fs = fsOf({
    [path.join(ws, '.flyte', 'config.yaml')]: 'admin:\n  endpoint: dns:///tenant.example.com\n  authType: ClientSecret\n  clientId: my-app\n  clientSecretEnvVar: MY_SECRET\ntask:\n  org: tenant\n  project: flytesnacks\n  domain: development\n',
    [path.join(HOME, '.flyte', 'config.yaml')]: 'admin:\n  endpoint: dns:///other.example.com\n  authType: Pkce\n',
  });
  const r = await readFlyteCliLogins({ MY_SECRET: 's3cr3t', FLYTE_TASK_DOMAIN: 'staging' }, HOME, [ws], fs);
  assert.equal(r.logins.length, 1);
  const l = r.logins[0];
  assert.deepEqual([l.endpoint, l.org, l.project, l.domain], ['dns:///tenant.example.com', 'tenant', 'flytesnacks', 'staging']);
  assert.deepEqual(decodeFlyteApiKey(l.apiKey), { endpoint: 'dns:///tenant.example.com', clientId: 'my-app', clientSecret: 's3cr3t', org: 'tenant' });
  // The repository chose that endpoint, the secret is the user's: import must ask before sending it.
  assert.equal(l.workspaceFile, path.join(ws, '.flyte', 'config.yaml'));
  const homeCfg = fsOf({ [path.join(HOME, '.flyte', 'config.yaml')]: 'admin:\n  endpoint: dns:///mine.example.com\n  authType: ClientSecret\n  clientId: a\n  clientSecretEnvVar: MY_SECRET\n' });
  const own = await readFlyteCliLogins({ MY_SECRET: 's3cr3t' }, HOME, [ws], homeCfg);
  assert.equal(own.logins.length, 1);
  assert.equal(own.logins[0].workspaceFile, undefined, "the user's own config needs no consent");
  const pkce = await readFlyteCliLogins({}, HOME, [], fs);
  assert.deepEqual(pkce.logins, []);
  assert.match(pkce.problems[0], /Pkce/);
  const key = Buffer.from('tenant.example.com:cid:csecret:tenant').toString('base64');
  const env = await readFlyteCliLogins({ FLYTE_API_KEY: key }, HOME, [], fs);
  assert.equal(env.logins[0].apiKey, key);
  const bad = await readFlyteCliLogins({ FLYTE_API_KEY: 'abc' }, HOME, [], fs);
  assert.ok(bad.problems.some((p) => /^FLYTE_API_KEY is not a Flyte API key/.test(p)), 'a key that does not decode is a problem');
});

test('FLYTE_API_KEY decoding keeps colons in the endpoint; endpoints become base URLs', () => {
  const key = Buffer.from('dns:///127.0.0.1:8089:cid:csecret:None').toString('base64');
  assert.deepEqual(decodeFlyteApiKey(key), { endpoint: 'dns:///127.0.0.1:8089', clientId: 'cid', clientSecret: 'csecret', org: undefined });
  assert.throws(() => decodeFlyteApiKey(Buffer.from('just-text').toString('base64')));
  assert.equal(flyteBaseUrl('dns:///tenant.example.com'), 'https://tenant.example.com');
  assert.equal(flyteBaseUrl('dns:///127.0.0.1:8089'), 'http://127.0.0.1:8089');
  assert.equal(flyteBaseUrl('tenant.example.com:443', true), 'http://tenant.example.com:443');
  assert.equal(flyteBaseUrl('https://tenant.example.com/'), 'https://tenant.example.com');
});

test('MosaicML: DNS-subdomain names and the create input of each type', () => {
  assert.equal(validateMosaicName('wandb-key'), undefined);
  for (const bad of ['Upper', '-lead', 'trail-', 'under_score', 'x'.repeat(254)]) assert.ok(validateMosaicName(bad), bad);
  const v = new TextEncoder().encode('secret');
  assert.deepEqual(buildCreateInput({ name: 'foo', type: 'environment', value: v, extra: { envKey: 'FOO' } }), { envVarSecret: { name: 'foo', metadata: { key: 'FOO' }, value: 'secret' } });
  assert.deepEqual(buildCreateInput({ name: 'hf', type: 'hugging_face', value: v }), { envVarSecret: { name: 'hf', metadata: { key: 'HF_TOKEN' }, value: 'secret' } });
  assert.deepEqual(buildCreateInput({ name: 'k', type: 'git-ssh', value: v }), { gitSSHSecret: { name: 'k', metadata: { mountPath: '/secrets/k' }, value: 'secret' } });
  assert.deepEqual(buildCreateInput({ name: 's3c', type: 's3', values: { config: 'c', credentials: 'cr' } }), { s3Secret: { name: 's3c', metadata: { mountDirectory: '/secrets/s3c' }, value: { config: 'c', credentials: 'cr' } } });
  assert.deepEqual(buildCreateInput({ name: 'd', type: 'docker_registry', values: { username: 'u', password: 'p', server: 's' } }), { dockerRegistrySecret: { name: 'd', value: { username: 'u', password: 'p', server: 's' } } });
  assert.throws(() => buildCreateInput({ name: 'd', type: 'docker_registry', values: { username: 'u' } }), /password/);
  assert.throws(() => buildCreateInput({ name: 'x', type: 'environment', value: v }), /envKey/);
  assert.throws(() => buildCreateInput({ name: 'x', type: 'nope' as never, value: v }), /Unknown MosaicML secret type/);
});
