#!/bin/sh
# Exercise 12.1: struct event carries the open's flags; progs/opens prints
# "... opens FILE flags 0x..." (cat: O_RDONLY | O_CLOEXEC = 0x80000).
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/opens.bpf.c" ] && [ -f "$DIR/progs/opens.c" ] || broken "no $DIR/progs/opens.bpf.c or opens.c"
where="Records instead of text"
build_bpf "$DIR/progs/opens.bpf.c" "$WORK/opens.bpf.o"
build_user "$DIR/progs/opens.c" "$WORK/opens"
out=$(sh -c 'sleep 1; cat /proc/version >/dev/null' & timeout 30 "$WORK/opens" --count 2 --timeout 10 2>&1)
keep "$out"
line=$(echo "$out" | grep -m1 '^cat (pid [0-9]*) opens ')
echo "$out" | grep -q '^attached:' ||
	not_yet "opens to load and attach" "$(echo "$out" | grep -m1 -i 'opens:\|error' || echo "$out" | head -1)" \
		"When it does not work"
[ -n "$line" ] ||
	not_yet "a line per record (print_event skips records smaller than its struct event: same fields, in the same order, on both sides?)" \
		"cat ran, and no line came" "A user side of its own"
case "$line" in
*" flags 0x80000") done_ "$line" ;;
*" flags 0x0")
	not_yet "the flags from the tracepoint's flags argument (ctx->flags), filled into the record" "$line" "$where" ;;
*" flags 0x"*)
	not_yet "flags 0x80000 (O_RDONLY | O_CLOEXEC): does struct event have the same fields, in the same order, on both sides?" \
		"$line" "A user side of its own" ;;
*) not_yet "\" flags 0x...\" at the end of each line (printf in print_event)" "$line" "A user side of its own" ;;
esac
