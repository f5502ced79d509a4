#!/usr/bin/env bash
# Makes sure the integration tests can run: gcc, librdkafka-dev (for the mock cluster in
# librdkafka/rdkafka_mock.h) and kcat for the test broker, the PostgreSQL and MariaDB server binaries
# the JDBC tests start in temp dirs (packages postgresql and mariadb-server), openssl and keytool
# (default-jre-headless, only when keytool is missing) for the TLS tests' stores, then builds the mock
# broker launcher so the first test does not pay for it. Idempotent and silent when everything is
# already there.
#
# Missing packages are apt-installed when running as root (CI), without starting the database
# services (a policy-rc.d answering 101, as .ci/run does); otherwise this prints one line naming the
# packages and exits 1. With KAFKA_BOOTSTRAP_SERVERS set, tests use that cluster, but kcat and the
# launcher are still needed by the assertions and the demo, so the checks are the same.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/test/harness/mock-broker.c"
bin="$root/test/harness/build/mock-broker"
header=/usr/include/librdkafka/rdkafka_mock.h

# The same binaries test/harness/postgres-server.ts and mariadb-server.ts look for.
have_postgres() {
  local bin
  for bin in /usr/lib/postgresql/*/bin; do
    [[ -x "$bin/initdb" && -x "$bin/postgres" ]] && return 0
  done
  [[ -n "${PG_BIN:-}" && -x "$PG_BIN/initdb" && -x "$PG_BIN/postgres" ]]
}
have_mariadb() {
  local d server='' install=''
  for d in /usr/sbin /usr/bin /usr/local/sbin; do [[ -x "$d/mariadbd" || -x "$d/mysqld" ]] && server=1; done
  for d in /usr/bin /usr/local/bin; do [[ -x "$d/mariadb-install-db" ]] && install=1; done
  [[ -n "$server" && -n "$install" ]]
}

# Sets `packages` to the Debian packages whose files are missing.
missing_packages() {
  packages=()
  command -v gcc >/dev/null 2>&1 || packages+=(gcc libc6-dev)
  [[ -f "$header" ]] || packages+=(librdkafka-dev)
  command -v kcat >/dev/null 2>&1 || packages+=(kcat)
  have_postgres || packages+=(postgresql)
  have_mariadb || packages+=(mariadb-server)
  # The TLS tests make their key and trust stores with openssl and keytool (a headless JRE).
  command -v openssl >/dev/null 2>&1 || packages+=(openssl)
  command -v keytool >/dev/null 2>&1 || packages+=(default-jre-headless)
}

missing_packages
if ((${#packages[@]})); then
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "ensure-test-deps: missing test dependencies; run: sudo apt-get install -y --no-install-recommends ${packages[*]}" >&2
    exit 1
  fi
  echo "ensure-test-deps: installing ${packages[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # A policy-rc.d answering 101 keeps the postgresql/mariadb-server postinst from starting services:
  # the tests start their own servers.
  policy=/usr/sbin/policy-rc.d
  own_policy=''
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=1
    trap 'rm -f "$policy"' EXIT
  fi
  # openjdk's postinst links man pages; slim images lack the directory.
  mkdir -p /usr/share/man/man1
  apt-get install -y -qq --no-install-recommends "${packages[@]}" </dev/null >/dev/null
  if [[ -n "$own_policy" ]]; then rm -f "$policy"; trap - EXIT; fi
  wanted=("${packages[@]}")
  missing_packages
  if ((${#packages[@]})); then
    echo "ensure-test-deps: ${wanted[*]} installed but the files of ${packages[*]} are still missing" >&2
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
