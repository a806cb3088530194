#!/bin/sh
# Exercise 5.2: stack_combined_too_big loads once frame_300 keeps its 300 bytes in a
# per-CPU array instead of on the stack.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/limits.bpf.c" ] || broken "no $DIR/progs/limits.bpf.c"
where="The stack: 512 bytes, shared along the calls"
build_bpf "$DIR/progs/limits.bpf.c" "$WORK/limits.bpf.o"
build_user "$DIR/progs/limits.c" "$WORK/limits"
out=$(timeout 30 "$WORK/limits" stack 2>&1)
keep "$out"
line=$(echo "$out" | grep 'combined stack 300+300 (socket filter)')
[ -n "$line" ] || not_yet "a line for the 300+300 socket filter from limits stack" "$(echo "$out" | head -1)" "$where"
case "$line" in
*accepted) done_ "$line" ;;
*"combined stack size"*)
	not_yet "frame_300's 300 bytes in a BPF_MAP_TYPE_PERCPU_ARRAY (lookup, NULL check, that pointer to bpf_skb_load_bytes)" \
		"still refused: $(echo "$line" | sed 's/^.*refused/refused/')" "$where" ;;
*) not_yet "the 300+300 socket filter accepted" "$(echo "$line" | sed 's/^.*)  *//')" "$where" ;;
esac
