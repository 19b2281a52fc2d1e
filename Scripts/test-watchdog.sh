#!/usr/bin/env bash
# Runs a test command (`swift test --skip-build`) with a deadline. A test run normally takes
# minutes; one that hangs (a child waited for that never ends, a read that never sees its end)
# would otherwise hold CI until its own limit and leave nothing to go on. At the deadline this
# prints what was running, and each process's threads as gdb sees them, then ends the run with
# a failure.
#   CINCH_TEST_DEADLINE  seconds (default 1800)
set -uo pipefail
deadline=${CINCH_TEST_DEADLINE:-1800}

"$@" &
runner=$!

# The processes under `$1`, children first: Foundation's `Process` puts each child in a process
# group of its own, so they are found by parent, not by group.
descendants() {
  local child
  for child in $(pgrep -P "$1"); do
    descendants "$child"
    echo "$child"
  done
}

waited=0
while kill -0 "$runner" 2>/dev/null; do
  if [ "$waited" -ge "$deadline" ]; then
    echo "test-watchdog: '$*' still running after ${deadline} s; what it is doing:" >&2
    running="$(descendants "$runner") $runner"
    ps -o pid,ppid,pgid,etimes,stat,args --forest -p "$(echo $running | tr ' ' ',')" >&2 || true
    if command -v gdb >/dev/null 2>&1; then
      for pid in $running; do
        echo "--- threads of $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-200)" >&2
        timeout 120 gdb -p "$pid" -batch -nx -ex "set pagination off" -ex "thread apply all bt 40" \
          2>/dev/null | grep -E '^(Thread|#)' | { swift demangle --simplified 2>/dev/null || cat; } >&2
      done
    fi
    kill -KILL $running 2>/dev/null
    wait "$runner" 2>/dev/null
    echo "test-watchdog: ended the run after ${deadline} s (CINCH_TEST_DEADLINE)" >&2
    exit 124
  fi
  sleep 5
  waited=$((waited + 5))
done
wait "$runner"
