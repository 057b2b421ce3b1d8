#!/usr/bin/env node
// The `ml-secrets` command (npm package only, not the .vsix): the bundle built by esbuild.mjs.
require('../dist/cli.js').run();
