#!/bin/sh
# Exercise 2.1: progs/hello prints "Hello World from PID", PID being the caller's.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello.bpf.c" ] || broken "no $DIR/progs/hello.bpf.c"
build_bpf "$DIR/progs/hello.bpf.c" "$WORK/hello.bpf.o"
build_user "$DIR/progs/hello.c" "$WORK/hello"
# trace_pipe has one reader at a time: wait (up to 30 s) while another holds it
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	out=$(timeout 30 "$WORK/hello" --count 8 --timeout 10 --trigger 2>&1)
	echo "$out" | grep -q 'trace_pipe.*EBUSY\|trace_pipe is busy' || break
	sleep 2
done
# "   true-1234    [001] 5.678: Hello World from 1234" -> "1234 1234"
pairs=$(echo "$out" | sed -n 's/^.*-\([0-9][0-9]*\) *\[.*Hello World from \([0-9][0-9]*\)$/\1 \2/p')
[ -n "$pairs" ] || {
	echo "$out" | grep -q 'Hello World!$' &&
		not_yet "the kernel still prints \"Hello World!\". Change the format in both programs
(hello and hello_tp: this kernel may run either) and pass the pid as an argument."
	not_yet "no \"Hello World from N\" line came out. The program printed:
$out"
}
echo "$pairs" | while read -r shown said; do
	[ "$shown" = "$said" ] || { echo "$shown $said"; break; }
done | grep -q . &&
	not_yet "a line's number is not the pid trace_pipe shows: $(echo "$pairs" | head -1).
bpf_get_current_pid_tgid() returns tgid << 32 | pid: the process id is the upper half."
done_ "the kernel printed: $(echo "$out" | grep -m1 'Hello World from')"
