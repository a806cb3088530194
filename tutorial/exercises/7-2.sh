#!/bin/sh
# Exercise 7.2: make bad_index_bounds load: bound the index, keep counting in
# s->count[i] for the packet's receive queue i.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_index_bounds.bpf.c"
# BPF_PROG_TEST_RUN delivers the packet on queue 0: count[0] must go from 0 to 1.
try index_bounds -g table 0
retval 2 "XDP_PASS (2) returned, as before"
echo "$run" | grep -q '^table\[0\] = 1 ' ||
	not_yet "counting kept: a packet on queue 0 makes s->count[0] 1 (bound i, keep the increment)" \
		"$(echo "$run" | grep -m1 '^table' || echo 'no table[0]')" "Types, ranges and the stack"
done_ "accepted by the verifier, and a packet on queue 0 counted in s->count[0]."
