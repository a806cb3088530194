#!/bin/sh
# Exercise 7.1: fix progs/bad_null_check.bpf.c: accepted, and it still counts packets
# per receive queue in the map `seen`.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_null_check.bpf.c"
# Queue 0 already has 41 packets: one more packet must make it 42.
try null_check -s seen 0 41 -g seen 0
echo "$run" | grep -q '^retval 2$' ||
	not_yet "accepted, but the program no longer returns XDP_PASS (2). It ran as:
$run"
echo "$run" | grep -q '^seen\[0\] = 42$' ||
	not_yet "accepted, but it no longer counts: with seen[0] = 41 before a packet on queue 0,
seen[0] should be 42 after it. It ran as:
$run
Test the pointer (if (!count) return XDP_PASS;) instead of removing the increment."
# A queue not in the map yet: the NULL path must not break anything.
try null_check -g seen 0
echo "$run" | grep -q '^retval 2$' ||
	not_yet "with an empty map the program should still pass the packet (XDP_PASS). It ran as:
$run"
done_ "accepted by the verifier; seen[0] went from 41 to 42 on one packet, and an empty map is fine."
