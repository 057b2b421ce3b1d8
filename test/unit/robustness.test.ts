// Security and robustness cases from docs/security.md: origin binding against adversarial URLs,
// hostile payloads, YAML resource-exhaustion inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { HttpClient } from '../../src/core/http/httpClient';
import { ProtocolError } from '../../src/core/errors';
import { scanYaml } from '../../src/core/references/scanner';
import { scanPython } from '../../src/core/platforms/flyte/pythonScanner';
import { parseApoloConfig } from '../../src/core/platforms/apolo/config';
import { parseDroppingValues } from '../../src/core/platforms/zenml/responses';

test('A6: the token goes only to its exact origin, whatever the URL tries', async () => {
  const sent: string[] = [];
  const http = new HttpClient({
    sleep: async () => undefined,
    fetch: async (url) => {
      sent.push(url);
      return { status: 200, headers: new Headers(), body: null, text: async () => '{}' };
    },
  });
  const auth = { origins: ['https://api.example.test'], header: 'Authorization', value: 'Bearer CANARY_token' };
  const hostile = [
    'https://api.example.test@evil.test/x',
    'https://api.example.test.evil.test/x',
    'https://evil.test/?https://api.example.test',
    'http://api.example.test/x',
    'https://api.example.test:8443/x',
    'https://API.EXAMPLE.TEST.evil.test/x',
    'https://xn--pple-43d.test/x',
    'https://[::1]/x',
    'https://127.0.0.1/x',
    'https://api.example.test./x',
  ];
  for (const u of hostile) {
    const ok = await http.request({ url: u, auth }).then(
      () => true,
      (e) => (e instanceof ProtocolError ? false : Promise.reject(e)),
    );
    assert.equal(ok, false, `sent the token to ${u}`);
  }
  assert.deepEqual(sent, [], 'no request at all went out');
  await http.request({ url: 'https://API.example.test/api/v1/x', auth });
  assert.equal(sent.length, 1, 'the same origin, any case, is fine');
});

test('G4: hostile payloads neither pollute prototypes nor crash the parsers', () => {
  const before = Object.keys(Object.prototype).length;
  const cfg = parseApoloConfig(JSON.parse('{"authorized":true,"__proto__":{"polluted":1},"clusters":[{"name":"c","orgs":["o"],"__proto__":{"x":1}},null,5,"s"],"projects":[{"name":"p","cluster_name":"c","org_name":"o","constructor":{"prototype":{"y":1}}}]}'), 'test');
  assert.equal(cfg.clusters.length, 1);
  assert.equal(cfg.projects.length, 1);
  const z = parseDroppingValues('{"items":[{"body":{"values":{"__proto__":"CANARY","constructor":"CANARY2"}}}]}');
  assert.ok(!JSON.stringify(z).includes('CANARY'));
  assert.equal(Object.keys(Object.prototype).length, before);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('E3/E4: alias bombs, deep nesting and huge lines are scanned quickly and never throw', () => {
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [x, y] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) bomb.push(`${x}: &${x} [*${y},*${y},*${y},*${y},*${y},*${y},*${y},*${y},*${y}]`);
  bomb.push('env: secret:after_the_bomb');
  const inputs = [bomb.join('\n'), '['.repeat(20_000) + ']'.repeat(20_000) + '\nx: secret:k', `a: "${'x'.repeat(500_000)} secret:k"`, 'k: ' + '<<'.repeat(50_000)];
  for (const text of inputs) {
    const t = performance.now();
    assert.doesNotThrow(() => scanYaml(text));
    assert.ok(performance.now() - t < 5_000);
  }
  assert.deepEqual(scanYaml(bomb.join('\n')).references.map((r) => r.name), ['after_the_bomb']);
  assert.doesNotThrow(() => scanPython('env = TaskEnvironment(' + '('.repeat(20_000) + 'secrets="x"'));
});
