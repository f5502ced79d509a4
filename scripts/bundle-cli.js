#!/usr/bin/env node
// Build step after tsc (npm run build): writes dist/src/cli/main.bundle.js, the CLI's compiled code
// and kafkajs in one file, which bin/connect-standalone loads (issue 12: start-up to the first record).
// On Node 20, resolving, reading and compiling some 230 small files was most of the start-up; one file
// read once, with its compiled code cached (src/cli/code-cache-loader.ts), takes a fraction of that.
//
// What stays outside the bundle, loaded from dist/ and node_modules/ as before:
// - src/api: the connector API that plugins from plugin.path require too; one copy of it keeps their
//   classes (ConfigError, ConnectError, ...) the runtime's own;
// - connectors/jdbc, loaded only by JDBC connectors (see externalDirs);
// - every other package: most are loaded only when a config uses them (pg, fastify, avsc, ...), and
//   pino's transports run worker threads from their own files.
// kafkajs is bundled from node_modules as patch-package left it, so the build stops when the
// producer patches are not applied there: the bundle must never carry an unpatched kafkajs.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const cliDir = path.join(root, 'dist', 'src', 'cli');
const entry = path.join(cliDir, 'main.js');
const outfile = path.join(cliDir, 'main.bundle.js');
const apiIndex = path.join(root, 'dist', 'src', 'api', 'index.js');

/**
 * Directories whose files stay outside the bundle, each required from it as the file in dist/:
 * - src/api, so that plugins from plugin.path get the same classes as the runtime;
 * - connectors/jdbc, the largest part of the project (a third of its code) and loaded only when a
 *   JDBC connector runs: kept out, it costs a FileStream run neither parsing nor memory. Built-in
 *   connectors use src/api alone (STYLE.md), so nothing of theirs exists twice.
 */
const externalDirs = [path.join(root, 'dist', 'src', 'api'), path.join(root, 'dist', 'connectors', 'jdbc')];
const keepOutside = {
  name: 'connect-standalone-keep-outside',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const target = path.resolve(args.resolveDir, args.path);
      const dir = externalDirs.find((d) => target === d || target.startsWith(d + path.sep));
      if (!dir) return undefined;
      const file = target === dir ? path.join(dir, 'index.js') : target.endsWith('.js') ? target : fs.existsSync(`${target}.js`) ? `${target}.js` : path.join(target, 'index.js');
      return { path: `./${path.relative(cliDir, file).split(path.sep).join('/')}`, external: true };
    });
  },
};

async function main() {
  const { kafkajsProducerPatchStatus } = require(path.join(root, 'dist', 'src', 'runtime', 'kafka', 'kafkajs-patch-status.js'));
  const status = kafkajsProducerPatchStatus();
  if (!status.applied) {
    console.error(`bundle-cli: refusing to bundle an unpatched kafkajs: ${status.detail}`);
    process.exit(1);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const external = Object.keys(pkg.dependencies).filter((name) => name !== 'kafkajs');
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${pkg.engines.node.replace(/[^0-9.]/g, '')}`,
    format: 'cjs',
    // Less to read and parse; names are kept so that stack traces and class names in logs stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    sourcemap: 'linked',
    external: [...external, ...external.map((name) => `${name}/*`)],
    plugins: [keepOutside],
    // The patch status the bundled kafkajs has, known here at build time (see kafkajs-patch-status.ts).
    define: { 'globalThis.__CONNECT_STANDALONE_BUNDLED_KAFKAJS__': JSON.stringify({ version: status.kafkajsVersion }) },
    logLevel: 'warning',
    logOverride: { 'require-resolve-not-external': 'silent' },
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const kafkajsFiles = inputs.filter((f) => f.includes('node_modules/kafkajs/')).length;
  const inside = inputs.filter((f) => /(^|\/)dist\/(src\/api|connectors\/jdbc)\//.test(f));
  if (inside.length > 0) throw new Error(`bundle-cli: src/api and connectors/jdbc must stay outside the bundle, found ${inside.join(', ')}`);
  const size = fs.statSync(outfile).size;
  console.log(`bundle-cli: ${path.relative(root, outfile)} (${(size / 1024).toFixed(0)} KiB, ${inputs.length - kafkajsFiles} project files and ${kafkajsFiles} kafkajs files)`);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});
