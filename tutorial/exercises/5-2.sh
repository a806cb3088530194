#!/bin/sh
# Exercise 5.2: stack_combined_too_big loads, because frame_300 keeps its buffer in a
# per-CPU array instead of on the stack.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/limits.bpf.c" ] || broken "no $DIR/progs/limits.bpf.c"
build_bpf "$DIR/progs/limits.bpf.c" "$WORK/limits.bpf.o"
build_user "$DIR/progs/limits.c" "$WORK/limits"
out=$(timeout 30 "$WORK/limits" stack 2>&1)
line=$(echo "$out" | grep 'combined stack 300+300 (socket filter)')
[ -n "$line" ] || not_yet "limits stack printed no line for the 300+300 socket filter:
$out"
case "$line" in
*accepted) done_ "$line" ;;
*"combined stack size"*)
	not_yet "still refused: $line
Give frame_300 its 300 bytes from a BPF_MAP_TYPE_PERCPU_ARRAY (one entry whose value is
char[300]): bpf_map_lookup_elem, check for NULL, and hand that pointer to
bpf_skb_load_bytes instead of a stack array." ;;
*) not_yet "refused for another reason: $line" ;;
esac
