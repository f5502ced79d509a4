#!/usr/bin/env bash
# Installs the package as a user installs a CLI and runs it: `npm pack` (its prepack step builds
# dist/), `npm i -g` of the tarball into a clean temporary prefix, then the installed
# `connect-standalone` runs --version (which must report kafkajs's producer patches applied, both
# in the bundle the CLI runs and in the package's own node_modules, which its postinstall patches), --help, and the demo with the
# examples shipped in the package against the test broker (scripts/demo.sh with CONNECT_STANDALONE
# and CONNECT_EXAMPLES pointed at the installed copy). Exits non-zero if any step fails. Used by CI (.ci/run) after the tests.
#
# Dependencies come from npm's cache when they are there (--prefer-offline), as after `npm ci`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d "${TMPDIR:-/tmp}/connect-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT

say() { printf '\n== %s ==\n' "$*"; }
fail() {
  echo "check-install: FAILED: $*" >&2
  exit 1
}

say "npm pack"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
[[ -f "$work/$tarball" ]] || fail "npm pack wrote no tarball"
listing="$(tar -tzf "$work/$tarball")"
for needed in package/bin/connect-standalone package/dist/src/cli/main.js package/dist/src/cli/main.bundle.js package/dist/src/cli/code-cache-loader.js package/dist/connectors/file/index.js \
  package/dist/connectors/jdbc/index.js package/examples/worker.properties package/examples/jdbc-source-sqlite.properties \
  package/examples/jdbc-sink-sqlite.properties package/examples/jdbc-demo-db.js package/patches/kafkajs+2.2.4.patch \
  package/scripts/postinstall.js; do
  grep -qx "$needed" <<<"$listing" || fail "$needed is missing from $tarball"
done
if grep -E '^package/(dist/)?(test|bench)/|^package/src/' <<<"$listing"; then
  fail "$tarball ships test, bench or TypeScript source files (listed above)"
fi
echo "$tarball: $(wc -l <<<"$listing") files, $(du -k "$work/$tarball" | cut -f1) KB"

say "npm i -g into a clean prefix"
prefix="$work/prefix"
npm install --global --prefix "$prefix" --prefer-offline --no-audit --no-fund --omit=dev "$work/$tarball" >/dev/null
bin="$prefix/bin/connect-standalone"
[[ -x "$bin" ]] || fail "$bin was not installed"
installed="$prefix/lib/node_modules/connect-standalone"

say "installed connect-standalone --version and --help"
version_output="$(cd "$work" && "$bin" --version)"
version="$(head -n 1 <<<"$version_output")"
patches="$(sed -n 2p <<<"$version_output")"
expected="$(node -p 'require("./package.json").version')"
[[ "$version" == "$expected" ]] || fail "--version printed '$version', expected '$expected'"
echo "--version: $version"
# The installed copy must run the patched kafkajs producer, not just ship the patch file: the bundle
# carries the kafkajs it was built with (scripts/bundle-cli.js refuses an unpatched one), and the
# unbundled files (CONNECT_STANDALONE_NO_BUNDLE=1) use the kafkajs the postinstall patched.
[[ "$patches" == *"producer patches applied"*"bundled into the CLI at build"* ]] || fail "the installed CLI does not run its bundle with the patched kafkajs: --version said '$patches'"
echo "--version: $patches"
unbundled="$(cd "$work" && CONNECT_STANDALONE_NO_BUNDLE=1 "$bin" --version | sed -n 2p)"
[[ "$unbundled" == *"producer patches applied"* && "$unbundled" != *bundled* ]] || fail "the installed kafkajs lacks the producer patches: --version (unbundled) said '$unbundled'"
echo "--version (CONNECT_STANDALONE_NO_BUNDLE=1): $unbundled"
(cd "$work" && "$bin" --help) | grep -q -- '--log-level' || fail "--help does not list --log-level"
echo "--help: ok"

say "the demo with the installed CLI and its shipped examples"
CONNECT_STANDALONE="$bin" CONNECT_EXAMPLES="$installed/examples" bash scripts/demo.sh
