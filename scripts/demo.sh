#!/usr/bin/env bash
# The README demo (`npm run demo`): the quickstart of Apache Kafka Connect's file connectors,
# end to end against the mock Kafka broker.
#
#   test.txt --FileStreamSource--> topic connect-test --FileStreamSink--> test.sink.txt
#
# Starts the broker, writes configs into a temp dir (from examples/), runs the worker, appends lines
# while it runs, shows them arriving in the sink file and as raw records in the topic (kcat), stops
# the worker with SIGTERM and exits 0 only if the sink file equals the source file and the worker
# shut down cleanly. Ctrl-C stops everything and removes the temp dir.
#
# CONNECT_STANDALONE overrides the worker command (default: node bin/connect-standalone), e.g. to
# run the same demo against Apache Kafka's bin/connect-standalone.sh; CONNECT_EXAMPLES the directory
# the configs are copied from (default: examples/), e.g. the one an installed package ships.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
read -r -a worker_cmd <<<"${CONNECT_STANDALONE:-node bin/connect-standalone}"
examples="${CONNECT_EXAMPLES:-examples}"
topic=connect-test
sync_timeout_s=60

bash scripts/ensure-test-deps.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/connect-demo.XXXXXX")"
broker_pid=""
worker_pid=""
keep_work=0

say() { printf '\n== %s ==\n' "$*"; }

stop_pid() { # pid, seconds: SIGTERM, then SIGKILL if it does not exit in time
  local pid="$1" i
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  echo "demo: pid $pid ignored SIGTERM for $2 s, killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  # Worker first: it still needs the broker to shut down cleanly.
  stop_pid "$worker_pid" 20
  stop_pid "$broker_pid" 5
  if ((keep_work)); then echo "demo: files kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo; echo "demo: interrupted" >&2; exit 130' INT TERM

fail() {
  echo "demo: FAILED: $*" >&2
  if [[ -s "$work/worker.log" ]]; then
    echo "--- last lines of the worker log ($work/worker.log) ---" >&2
    tail -n 30 "$work/worker.log" >&2
  fi
  keep_work=1
  exit 1
}

# Writes key=value into a .properties file, replacing an existing assignment of key.
set_prop() {
  local file="$1"
  KEY="$2" VALUE="$3" awk '
    BEGIN { k = ENVIRON["KEY"]; v = ENVIRON["VALUE"] }
    index($0, k "=") == 1 { print k "=" v; done = 1; next }
    { print }
    END { if (!done) print k "=" v }
  ' "$file" >"$file.tmp"
  mv "$file.tmp" "$file"
}

say "starting the mock Kafka broker"
# A coprocess: its stdin is our pipe, so the broker also goes away if this script is killed hard.
coproc BROKER { exec test/harness/build/mock-broker 1 2>"$work/broker.log"; }
broker_pid="$BROKER_PID"
broker_in="${BROKER[1]}"
broker_out="${BROKER[0]}"
read -r -t 15 tag bootstrap <&"$broker_out" && [[ "$tag" == BOOTSTRAP ]] ||
  fail "the broker did not start: $(cat "$work/broker.log")"
# One partition, so the sink sees the records in file order (an auto-created topic gets 4).
echo "create_topic $topic 1 1" >&"$broker_in"
read -r -t 10 answer <&"$broker_out" && [[ "$answer" == OK ]] || fail "create_topic: ${answer:-no answer}"
echo "bootstrap.servers=$bootstrap, topic $topic created"

say "configuration in $work"
cp "$examples/worker.properties" "$examples/file-source.properties" "$examples/file-sink.properties" "$work/"
set_prop "$work/worker.properties" bootstrap.servers "$bootstrap"
set_prop "$work/worker.properties" offset.storage.file.filename "$work/connect.offsets"
set_prop "$work/file-source.properties" file "$work/test.txt"
set_prop "$work/file-sink.properties" file "$work/test.sink.txt"
grep -H -E '^(bootstrap\.servers|offset\.storage\.file\.filename|file|topics?)=' "$work"/*.properties

printf '%s\n' 'hello' 'kafka connect' 'standalone in node' >"$work/test.txt"

say "starting the worker: ${worker_cmd[*]} (log: $work/worker.log)"
# {fd}>&- keeps the broker's pipe out of the worker, so the broker sees EOF as soon as we are gone.
"${worker_cmd[@]}" "$work/worker.properties" "$work/file-source.properties" "$work/file-sink.properties" \
  >"$work/worker.log" 2>&1 {broker_in}>&- {broker_out}<&- &
worker_pid=$!

shown=0
show_sink() { # prints the sink lines that arrived since the last call
  local n
  [[ -f "$work/test.sink.txt" ]] || return 0
  n=$(wc -l <"$work/test.sink.txt")
  if ((n > shown)); then
    sed -n "$((shown + 1)),${n}p" "$work/test.sink.txt" | sed 's/^/  sink> /'
    shown=$n
  fi
}
check_worker() {
  kill -0 "$worker_pid" 2>/dev/null && return 0
  local code=0
  wait "$worker_pid" || code=$?
  worker_pid=""
  fail "the worker exited early (code $code)"
}

say "appending lines to test.txt while the worker runs"
for i in 1 2 3 4 5; do
  line="appended line $i at $(date +%T)"
  echo "$line" >>"$work/test.txt"
  echo "  source> $line"
  sleep 0.6
  check_worker
  show_sink
done

say "waiting for test.sink.txt to catch up (first consumer-group join takes a few seconds)"
for ((t = 0; t < sync_timeout_s * 5; t++)); do
  show_sink
  cmp -s "$work/test.txt" "$work/test.sink.txt" 2>/dev/null && break
  check_worker
  sleep 0.2
done
show_sink

say "raw records in topic $topic (kcat -C -b $bootstrap -t $topic -e)"
kcat -C -b "$bootstrap" -t "$topic" -e -q -f '  partition %p offset %o: %s\n' ||
  echo "demo: kcat could not read the topic" >&2

say "stopping the worker (SIGTERM)"
kill -TERM "$worker_pid" 2>/dev/null || true
worker_code=0
for ((t = 0; t < 200; t++)); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$worker_pid" 2>/dev/null; then
  fail "the worker did not exit within 20 s of SIGTERM"
fi
wait "$worker_pid" || worker_code=$?
worker_pid=""
echo "worker exited with code $worker_code"

say "result"
if ! cmp -s "$work/test.txt" "$work/test.sink.txt"; then
  diff -u "$work/test.txt" "$work/test.sink.txt" >&2 || true
  fail "test.sink.txt differs from test.txt (diff above)"
fi
((worker_code == 0)) || fail "the worker did not shut down cleanly (exit code $worker_code)"
echo "OK: test.sink.txt equals test.txt ($(wc -l <"$work/test.txt") lines)"
