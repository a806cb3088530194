#!/bin/sh
# Exercise 2.1: "Hello World from PID", the pid from bpf_get_current_pid_tgid().
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello.bpf.c" ] || broken "no $DIR/progs/hello.bpf.c"
where="The kernel side: \`progs/hello.bpf.c\`"
build_bpf "$DIR/progs/hello.bpf.c" "$WORK/hello.bpf.o"
build_user "$DIR/progs/hello.c" "$WORK/hello"
# trace_pipe has one reader at a time: wait (up to 30 s) while another holds it
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	out=$(timeout 30 "$WORK/hello" --count 8 --timeout 10 --trigger 2>&1)
	echo "$out" | grep -q 'trace_pipe.*EBUSY\|trace_pipe is busy' || break
	sleep 2
done
keep "$out"
# "   true-1234    [001] 5.678: Hello World from 1234" -> "1234 1234"
pairs=$(echo "$out" | sed -n 's/^.*-\([0-9][0-9]*\) *\[.*Hello World from \([0-9][0-9]*\)$/\1 \2/p')
[ -n "$pairs" ] || {
	echo "$out" | grep -q 'Hello World!$' &&
		not_yet "\"Hello World from %d\" with the pid as argument, in both hello and hello_tp (this kernel may run either)" \
			"the kernel still prints \"Hello World!\"" "$where"
	not_yet "a \"Hello World from N\" line" \
		"$(traced "$out")" "$where"
}
bad=$(echo "$pairs" | while read -r shown said; do
	[ "$shown" = "$said" ] || { echo "pid $shown printed $said"; break; }
done)
[ -n "$bad" ] &&
	not_yet "the process id, the upper half of bpf_get_current_pid_tgid() (>> 32)" "$bad" "$where"
done_ "the kernel printed: $(echo "$out" | grep -m1 'Hello World from')"
