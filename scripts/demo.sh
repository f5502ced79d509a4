#!/usr/bin/env bash
# The README demo (`npm run demo`): the quickstart of Apache Kafka Connect's file connectors, the
# same topic written into a database table by the JDBC sink, and a table streaming into a topic with
# the JDBC source, end to end against the mock Kafka broker.
#
#   test.txt --FileStreamSource--> topic connect-test --FileStreamSink--> test.sink.txt
#                                                     --JdbcSink-------> SQLite sink.db, table lines
#   SQLite demo.db, table orders --JdbcSource--> topic demo-orders
#
# Starts the broker, writes configs into a temp dir (from examples/), creates the SQLite database
# (examples/jdbc-demo-db.js), runs one worker with the four connectors, appends lines while it runs
# and shows them arriving in the sink file, as raw records in the topic (kcat) and as rows of the
# table lines (jdbc-demo-db.js show), shows the table orders' rows in demo-orders, inserts a row and
# shows it arriving, stops the worker with SIGTERM and exits 0 only if the sink file equals the source
# file, the table lines holds each line once and in order, every row of orders arrived once and in
# order, and the worker shut down cleanly. Ctrl-C stops everything and removes the temp dir.
#
# CONNECT_STANDALONE overrides the worker command (default: node bin/connect-standalone), e.g. to
# run the same demo against Apache Kafka's bin/connect-standalone.sh (with Confluent's JDBC
# connector and the SQLite JDBC driver on its plugin.path); CONNECT_EXAMPLES the directory the configs
# are copied from and jdbc-demo-db.js is run from (default: examples/), e.g. the one an installed
# package ships: the script then uses that package's better-sqlite3.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
read -r -a worker_cmd <<<"${CONNECT_STANDALONE:-node bin/connect-standalone}"
examples="${CONNECT_EXAMPLES:-examples}"
topic=connect-test
jdbc_topic=demo-orders
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
# One partition each, so records are read in the order written (an auto-created topic gets 4).
for t in "$topic" "$jdbc_topic"; do
  echo "create_topic $t 1 1" >&"$broker_in"
  read -r -t 10 answer <&"$broker_out" && [[ "$answer" == OK ]] || fail "create_topic $t: ${answer:-no answer}"
done
echo "bootstrap.servers=$bootstrap, topics $topic and $jdbc_topic created"

say "configuration in $work"
cp "$examples/worker.properties" "$examples/file-source.properties" "$examples/file-sink.properties" \
  "$examples/jdbc-sink-sqlite.properties" "$examples/jdbc-source-sqlite.properties" "$work/"
set_prop "$work/worker.properties" bootstrap.servers "$bootstrap"
set_prop "$work/worker.properties" offset.storage.file.filename "$work/connect.offsets"
set_prop "$work/file-source.properties" file "$work/test.txt"
set_prop "$work/file-sink.properties" file "$work/test.sink.txt"
set_prop "$work/jdbc-sink-sqlite.properties" connection.url "jdbc:sqlite:$work/sink.db"
set_prop "$work/jdbc-source-sqlite.properties" connection.url "jdbc:sqlite:$work/demo.db"
# The REST API on a free loopback port (8083 may be taken on this machine).
rest_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
set_prop "$work/worker.properties" listeners "http://127.0.0.1:$rest_port"
grep -H -E '^(bootstrap\.servers|offset\.storage\.file\.filename|listeners|file|topics?|connection\.url|mode|table\.whitelist|topic\.prefix|table\.name\.format|insert\.mode|pk\.mode)=' "$work"/*.properties

printf '%s\n' 'hello' 'kafka connect' 'standalone in node' >"$work/test.txt"

say "creating the SQLite database demo.db, table orders: node $examples/jdbc-demo-db.js"
# Run from where it lies (not a copy), so it finds the better-sqlite3 next to it.
node "$examples/jdbc-demo-db.js" "$work/demo.db" 2>&1 | sed 's/^/  row> /' ||
  fail "jdbc-demo-db.js could not create $work/demo.db (output above)"

say "starting the worker: ${worker_cmd[*]} (log: $work/worker.log)"
# {fd}>&- keeps the broker's pipe out of the worker, so the broker sees EOF as soon as we are gone.
"${worker_cmd[@]}" "$work/worker.properties" "$work/file-source.properties" "$work/file-sink.properties" \
  "$work/jdbc-sink-sqlite.properties" "$work/jdbc-source-sqlite.properties" >"$work/worker.log" 2>&1 {broker_in}>&- {broker_out}<&- &
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

# The line column of table lines in sink.db, one per row in row order, into $work/table-lines.txt
# (empty while the sink has not created the table yet).
table_lines() {
  [[ -f "$work/sink.db" ]] || { : >"$work/table-lines.txt"; return 0; }
  node "$examples/jdbc-demo-db.js" "$work/sink.db" show lines 2>/dev/null >"$work/table-rows.jsonl" || : >"$work/table-rows.jsonl"
  node -e '
    const t = require("fs").readFileSync(process.argv[1], "utf8").trim();
    for (const l of t ? t.split("\n") : []) console.log(JSON.parse(l).line);
  ' "$work/table-rows.jsonl" >"$work/table-lines.txt"
}

say "waiting for the JDBC sink to write every line into table lines of sink.db"
for ((t = 0; t < sync_timeout_s * 5; t++)); do
  table_lines
  cmp -s "$work/test.txt" "$work/table-lines.txt" && break
  check_worker
  sleep 0.2
done
echo "  the rows (node $examples/jdbc-demo-db.js sink.db show lines):"
sed 's/^/  row> /' "$work/table-rows.jsonl"

# Reads records of the JDBC topic from `offset` until `count` of them arrived (or the timeout) into
# $work/rows.jsonl, one value per line.
read_rows() {
  local offset="$1" count="$2"
  timeout "$sync_timeout_s" kcat -C -b "$bootstrap" -t "$jdbc_topic" -p 0 -o "$offset" -c "$count" -q -f '%s\n' \
    >"$work/rows.jsonl" 2>"$work/kcat.log" || true
  (($(wc -l <"$work/rows.jsonl") == count)) ||
    fail "$count record(s) from offset $offset did not arrive in $jdbc_topic within $sync_timeout_s s ($(cat "$work/kcat.log"))"
}
# Prints the payload of each record of a file of record values (the schema part of JsonConverter's
# envelope is the same for every row), numbered from `offset`.
show_rows() {
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
    lines.forEach((l, i) => console.log(`  offset ${Number(process.argv[2]) + i}: ${JSON.stringify(JSON.parse(l).payload)}`));
  ' "$work/rows.jsonl" "$1" || fail "records in $jdbc_topic are not JsonConverter JSON: $(head -c 300 "$work/rows.jsonl")"
}

say "the table orders streaming into topic $jdbc_topic (JdbcSource, mode=timestamp+incrementing)"
read_rows 0 3
echo "  the first record as written (kcat -C -b $bootstrap -t $jdbc_topic -c 1):"
head -n 1 "$work/rows.jsonl" | sed 's/^/    /'
echo "  the payload of each:"
show_rows 0
check_worker

say "inserting a row while the worker runs: node $examples/jdbc-demo-db.js demo.db insert pears 4"
node "$examples/jdbc-demo-db.js" "$work/demo.db" insert pears 4 2>&1 | sed 's/^/  row> /' ||
  fail "jdbc-demo-db.js could not insert into $work/demo.db (output above)"
read_rows 3 1
show_rows 3
check_worker

say "the REST API: GET http://127.0.0.1:$rest_port/connectors?expand=status, and GET /metrics"
# Every connector and task must be RUNNING; the metrics (this tool's, not Java Kafka Connect's) are shown when served.
node -e '
  const base = process.argv[1];
  (async () => {
    const status = await (await fetch(`${base}/connectors?expand=status`)).json();
    let ok = true;
    for (const [name, { status: s }] of Object.entries(status)) {
      const tasks = s.tasks.map((t) => `task ${t.id} ${t.state}`).join(", ");
      console.log(`  ${name}: ${s.type} connector ${s.connector.state}; ${tasks}`);
      ok = ok && s.connector.state === "RUNNING" && s.tasks.length > 0 && s.tasks.every((t) => t.state === "RUNNING");
    }
    const metrics = await fetch(`${base}/metrics`);
    if (metrics.ok) {
      for (const line of (await metrics.text()).split("\n")) {
        if (/^kafka_connect_(source_task_metrics_source_record_write_total|sink_task_metrics_sink_record_send_total)\{/.test(line)) console.log(`  ${line}`);
      }
    }
    if (!ok || Object.keys(status).length !== 4) { console.error("demo: not every connector and task is RUNNING"); process.exit(1); }
  })().catch((err) => { console.error(`demo: the REST API did not answer: ${err.message}`); process.exit(1); });
' "http://127.0.0.1:$rest_port" || fail "the REST API check failed (output above)"
check_worker

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
# Every record now in the topic: each row exactly once, in order.
ids="$(kcat -C -b "$bootstrap" -t "$jdbc_topic" -e -q -f '%s\n' |
  node -e 'const t = require("fs").readFileSync(0, "utf8").trim(); console.log(t && t.split("\n").map((l) => JSON.parse(l).payload.id).join(","))')" ||
  fail "could not read back $jdbc_topic"
[[ "$ids" == 1,2,3,4 ]] || fail "$jdbc_topic holds the rows with ids [$ids], expected 1,2,3,4 (each once, in order)"
((worker_code == 0)) || fail "the worker did not shut down cleanly (exit code $worker_code)"
table_lines
if ! cmp -s "$work/test.txt" "$work/table-lines.txt"; then
  diff -u "$work/test.txt" "$work/table-lines.txt" >&2 || true
  fail "table lines of sink.db does not hold the lines of test.txt each once and in order (diff above)"
fi
echo "OK: test.sink.txt equals test.txt ($(wc -l <"$work/test.txt") lines)"
echo "OK: table lines of sink.db holds the same $(wc -l <"$work/table-lines.txt") lines, each once and in order (JdbcSink, upsert keyed by topic/partition/offset)"
echo "OK: table orders streamed into $jdbc_topic (4 rows, the last inserted while the worker ran)"
echo "OK: the REST API showed the 4 connectors and their tasks RUNNING"
