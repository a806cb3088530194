#!/bin/sh
# Exercise 7.1: make bad_null_check load: test the map value pointer, keep counting
# per receive queue in the map `seen`.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_null_check.bpf.c"
# Queue 0 already has 41 packets: one more packet must make it 42.
try null_check -s seen 0 41 -g seen 0
retval 2 "XDP_PASS (2) returned, as before"
echo "$run" | grep -q '^seen\[0\] = 42$' ||
	not_yet "counting kept: seen[0] = 41 before a packet on queue 0 should be 42 after it (test the pointer, keep the increment)" \
		"$(echo "$run" | grep -m1 '^seen' || echo 'no seen[0]')" "Types, ranges and the stack"
# A queue not in the map yet: the NULL path must not break anything.
try null_check -g seen 0
retval 2 "XDP_PASS (2) with an empty map too: the NULL path passes the packet"
done_ "accepted by the verifier; seen[0] went from 41 to 42 on one packet, and an empty map is fine."
