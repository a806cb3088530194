#!/bin/sh
# Exercise 7.2: fix progs/bad_index_bounds.bpf.c: accepted, and it still counts
# s->count[i] for the packet's receive queue i.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_index_bounds.bpf.c"
# BPF_PROG_TEST_RUN delivers the packet on queue 0: count[0] must go from 0 to 1.
try index_bounds -g table 0
echo "$run" | grep -q '^retval 2$' ||
	not_yet "accepted, but the program no longer returns XDP_PASS (2). It ran as:
$run"
echo "$run" | grep -q '^table\[0\] = 1 ' ||
	not_yet "accepted, but a packet on queue 0 should make s->count[0] 1 (the first number
below). It ran as:
$run
Bound i (if (i >= 16) return XDP_PASS;) instead of removing the increment."
done_ "accepted by the verifier, and a packet on queue 0 counted in s->count[0]."
