#!/bin/sh
# Keeps the myapp log flowing into Kafka: restarted on failure, it resumes from its stored offsets
# (even when logrotate rotated the file while it was down). Run it under systemd or a supervisor.
set -u
cd "$(dirname "$0")"
while :; do
  connect-standalone worker.properties app-log-source.properties
  status=$?
  # 130/143: stopped by SIGINT/SIGTERM on purpose; 2: bad usage. Anything else (1 also covers Kafka
  # unreachable at start-up, 3 a failed task) is retried; its message is on stderr.
  case "$status" in 0|2|130|143) exit "$status" ;; esac
  echo "connect-standalone exited with $status; restarting in 10 s" >&2
  sleep 10
done
