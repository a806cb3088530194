#!/bin/sh
# Exercise 1.1: make asm/hello print "Hello eBPF!" instead of "Hello World!".
. "$(dirname "$0")/lib.sh"
f=$DIR/asm/hello.c
[ -f "$f" ] || broken "no $f"
where="The program, as instructions"
build_user "$f" "$WORK/hello"
out=$(timeout 30 "$WORK/hello" --count 3 --timeout 10 --trigger 2>&1)
keep "$out"
line=$(echo "$out" | grep -m1 'Hello eBPF!$')
[ -n "$line" ] && done_ "the kernel printed:$line"
# What the kernel printed after "task-pid [cpu] ts: ", and r2 as the source sets it.
msg=$(traced "$out"); [ "$msg" = "no line from the program" ] && msg=
r2=$(sed -n 's/.*BPF_MOV64_IMM(BPF_REG_2, *\([0-9]*\)).*/\1/p' "$f" | head -1)
letters() { printf '%s' "$1" | fold -w1 | sort | tr -d '\n'; }
case "$msg" in
"Hello World!")
	not_yet "\"Hello eBPF!\" in the bytes stored on the stack" "the kernel still prints \"$msg\"" "$where" ;;
"")
	[ "$r2" != 12 ] &&
		not_yet "r2 = 12: \"Hello eBPF!\" and its zero are 12 bytes, and bpf_trace_printk refuses a size whose last byte is not the zero" \
			"no line at all, and r2 = ${r2:-?} in $(basename "$f")" "$where"
	not_yet "a \"Hello eBPF!\" line" "no line from the program; its last line: $(echo "$out" | tail -1)" "$where" ;;
esac
[ "$(letters "$msg")" = "$(letters "Hello eBPF!")" ] &&
	not_yet "the characters in order: little-endian, the first character is the lowest byte of each immediate" \
		"the right letters in the wrong order: \"$msg\"" "$where"
not_yet "exactly \"Hello eBPF!\" (check the last bytes, and r2 counts the zero)" "\"$msg\"" "$where"
