#!/bin/sh
# tests/repeat.sh [--noisy] N -- the whole suite N times in a row, to show it does
# not flake; with --noisy, beside another BPF user (tests/noisy/neighbour: maps,
# programs, raw tracepoint attachments and pins in a loop).
#
#   make check-repeat RUNS=10      ten runs in a row
#   make check-noisy RUNS=3        three runs beside the neighbour
#
# Before the first run and after the last it records what the machine holds
# (bpffs, kprobe_events, uprobe_events, tracefs instances) and says what changed.
# Prints each run's closing line and the number of failing runs; exit 1 if any run
# failed or the machine was left changed.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
noisy=0
[ "${1:-}" = --noisy ] && { noisy=1; shift; }
runs=${1:-10}
t=/sys/kernel/tracing
[ -d $t/instances ] || t=/sys/kernel/debug/tracing

state() {
	ls -A /sys/fs/bpf 2>/dev/null | sed 's|^|bpffs: |'
	cat $t/kprobe_events $t/uprobe_events 2>/dev/null | sed 's|^|probe: |'
	ls -A $t/instances 2>/dev/null | sed 's|^|instance: |'
}

log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
state | sort > "$log/before"
if [ $noisy = 1 ]; then
	"$B/tests/noisy/neighbour" > "$log/neighbour" 2>&1 &
	npid=$!
	echo "repeat: the noisy neighbour runs as pid $npid"
fi
bad=0 i=1
while [ "$i" -le "$runs" ]; do
	start=$(date +%s)
	B=$B tests/run > "$log/run$i" 2>&1
	rc=$?
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/run$i" | tail -n 1)
	echo "repeat: run $i of $runs: ${line:-no closing line} (exit $rc, $(( $(date +%s) - start )) s)"
	if [ "$rc" != 0 ]; then
		bad=$((bad + 1))
		grep -A3 -E '^FAIL' "$log/run$i" | sed 's/^/    /'
	fi
	i=$((i + 1))
done
if [ $noisy = 1 ]; then
	kill -TERM "$npid" && wait "$npid"
	sed 's/^/repeat: /' "$log/neighbour"
fi
state | sort > "$log/after"
# What is there now and was not before is a leftover; what went away meanwhile was
# somebody else's to remove (other users share the machine), said but not judged.
gone=$(comm -23 "$log/before" "$log/after")
new=$(comm -13 "$log/before" "$log/after")
[ -n "$gone" ] && echo "repeat: gone meanwhile (not the suite's):" && echo "$gone" | sed 's/^/    /'
if [ -n "$new" ]; then
	echo "repeat: the machine is not as it was; there now and not before:"
	echo "$new" | sed 's/^/    +/'
	bad=$((bad + 1))
fi
echo "repeat: $runs runs, $bad failed"
[ "$bad" = 0 ]
