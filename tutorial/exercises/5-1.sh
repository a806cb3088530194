#!/bin/sh
# Exercise 5.1: a second BPF-to-BPF call, get_pid(); hello prints
# "Syscall: N pid P".
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_func.bpf.c" ] || broken "no $DIR/progs/hello_func.bpf.c"
where="The program: \`progs/hello_func.bpf.c\`"
build_bpf "$DIR/progs/hello_func.bpf.c" "$WORK/hello_func.bpf.o"
build_user "$DIR/progs/hello_func.c" "$WORK/hello_func"
# trace_pipe has one reader at a time: wait (up to 30 s) while another holds it
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	out=$(timeout 30 "$WORK/hello_func" --count 3 --timeout 10 --trigger 2>&1)
	echo "$out" | grep -q 'trace_pipe.*EBUSY\|trace_pipe is busy' || break
	sleep 2
done
keep "$out"
calls=$(echo "$out" | grep -c '<- BPF-to-BPF call')
[ "$calls" -ge 2 ] ||
	not_yet "two BPF-to-BPF calls in the loaded program (is get_pid __noinline? without it clang pastes it into hello)" \
		"$calls: $(echo "$out" | grep -m1 '<- BPF-to-BPF call' || echo none)" "$where"
echo "$out" | grep -q 'Syscall: [0-9-]* pid [0-9]*$' ||
	not_yet "a line \"Syscall: N pid P\"" "$(echo "$out" | grep -m1 'Syscall' || echo "$out" | tail -1)" "$where"
done_ "two calls in the listing; the kernel printed: $(echo "$out" | grep -m1 'Syscall: [0-9-]* pid')"
