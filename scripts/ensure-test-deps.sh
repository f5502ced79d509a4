#!/usr/bin/env bash
# Makes sure the integration-test broker can run: gcc, librdkafka-dev (for the mock cluster in
# librdkafka/rdkafka_mock.h) and kcat, then builds the mock broker launcher so the first test does
# not pay for it. Idempotent and silent when everything is already there.
#
# Missing tools are apt-installed when running as root (CI); otherwise this prints one line naming
# the packages and exits 1. With KAFKA_BOOTSTRAP_SERVERS set, tests use that cluster, but kcat and
# the launcher are still needed by the assertions and the demo, so the checks are the same.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/test/harness/mock-broker.c"
bin="$root/test/harness/build/mock-broker"
header=/usr/include/librdkafka/rdkafka_mock.h
packages=(librdkafka-dev kcat gcc libc6-dev)

missing() {
  command -v gcc >/dev/null 2>&1 || return 0
  command -v kcat >/dev/null 2>&1 || return 0
  [[ -f "$header" ]] || return 0
  return 1
}

if missing; then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "ensure-test-deps: missing test dependencies; run: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 1
  fi
  echo "ensure-test-deps: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  if missing; then
    echo "ensure-test-deps: ${packages[*]} installed but gcc, kcat or $header is still missing" >&2
    exit 1
  fi
fi

# Same rule as test/harness/broker.ts: rebuild when missing or older than the source, via a temp
# file and an atomic rename so a concurrently starting test never runs a half-written binary.
if [[ ! -x "$bin" || "$src" -nt "$bin" ]]; then
  mkdir -p "$(dirname "$bin")"
  tmp="$bin.$$.tmp"
  trap 'rm -f "$tmp"' EXIT
  gcc -O2 -o "$tmp" "$src" -lrdkafka
  mv -f "$tmp" "$bin"
  echo "ensure-test-deps: built test/harness/build/mock-broker"
fi
