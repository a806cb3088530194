#!/bin/sh
# Exercise 5.1: hello_func's program calls two functions of its own; it prints
# "Syscall: N pid P".
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_func.bpf.c" ] || broken "no $DIR/progs/hello_func.bpf.c"
build_bpf "$DIR/progs/hello_func.bpf.c" "$WORK/hello_func.bpf.o"
build_user "$DIR/progs/hello_func.c" "$WORK/hello_func"
# trace_pipe has one reader at a time: wait (up to 30 s) while another holds it
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	out=$(timeout 30 "$WORK/hello_func" --count 3 --timeout 10 --trigger 2>&1)
	echo "$out" | grep -q 'trace_pipe.*EBUSY\|trace_pipe is busy' || break
	sleep 2
done
calls=$(echo "$out" | grep -c '<- BPF-to-BPF call')
[ "$calls" -ge 2 ] || not_yet "the loaded program makes $calls BPF-to-BPF call(s), not 2. Is get_pid
__noinline? Without it clang pastes the function into hello."
echo "$out" | grep -q 'Syscall: [0-9-]* pid [0-9]*$' ||
	not_yet "no \"Syscall: N pid P\" line came out. The program printed:
$(echo "$out" | tail -5)"
done_ "two calls in the listing; the kernel printed: $(echo "$out" | grep -m1 'Syscall: [0-9-]* pid')"
