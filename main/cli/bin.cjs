#!/usr/bin/env node
// `adstudio` (package.json "bin"). CommonJS so it runs with any loader setup; the CLI itself is the
// ESM bundle dist/main/cli.mjs. A fresh checkout has no dist/ yet: build the Node side once, then run.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'main', 'cli.mjs');

if (!existsSync(cli)) {
  process.stderr.write('adstudio: first run: building the CLI (node scripts/build.mjs --node-only)...\n');
  // The build's own output goes to stderr: stdout belongs to the command.
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--node-only'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (built.status !== 0 || !existsSync(cli)) {
    process.stderr.write(`adstudio: error: building the CLI failed${built.error ? `: ${built.error.message}` : ''}; run "npm run build" to see why\n`);
    process.exit(1);
  }
}

import(pathToFileURL(cli).href)
  .then((m) => m.runCli(process.argv.slice(2)))
  .catch((e) => {
    process.stderr.write(`adstudio: error: ${e && e.message ? e.message : e}\n`);
    process.exitCode = 1;
  });
