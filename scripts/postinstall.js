#!/usr/bin/env node
// npm postinstall: applies patches/ (kafkajs's producer hot path) with patch-package to the kafkajs
// installed under this package, as in this repository, `npm ci`, and `npm i -g` of the package.
//
// When connect-standalone is installed as a library in another project, npm may hoist kafkajs out
// of this package's node_modules. patch-package would then fail the install on CI ("Patch file
// found for package kafkajs which is not present"), and patching a kafkajs the project shares is not
// ours to do; the producer then runs unpatched, which `connect-standalone --version` reports.
// patch-package itself fails the install on CI when a patch does not apply, and warns elsewhere.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
if (!fs.existsSync(path.join(root, 'node_modules', 'kafkajs', 'package.json'))) {
  console.log('connect-standalone: kafkajs is installed outside this package; its producer patches are not applied to it');
  process.exit(0);
}
const patchPackage = require.resolve('patch-package/index.js', { paths: [root] });
const run = spawnSync(process.execPath, [patchPackage], { cwd: root, stdio: 'inherit' });
process.exit(run.status ?? 1);
