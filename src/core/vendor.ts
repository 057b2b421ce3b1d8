// Heavy third-party code is loaded on first use, not at activation: the bundler ships `yaml` and
// `node-fetch` as separate files (dist/vendor/*.js) and these functions are the only way in.
// In plain Node (unit tests, benchmarks) the same calls load the packages from node_modules.

import type * as YamlModule from 'yaml';

let yamlModule: typeof YamlModule | undefined;

export function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof YamlModule;
  return yamlModule;
}

type FetchFn = (url: string, init: Record<string, unknown>) => Promise<unknown>;
let fetchPromise: Promise<FetchFn> | undefined;

export function nodeFetch(): Promise<FetchFn> {
  fetchPromise ??= import('node-fetch').then((m) => m.default as unknown as FetchFn);
  return fetchPromise;
}
