#!/bin/sh
# Exercise 6.1: openat gets a program of its own that prints "Opening a file".
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_tail.bpf.c" ] || broken "no $DIR/progs/hello_tail.bpf.c"
where="The programs: \`progs/hello_tail.bpf.c\`"
build_bpf "$DIR/progs/hello_tail.bpf.c" "$WORK/hello_tail.bpf.o"
build_user "$DIR/progs/hello_tail.c" "$WORK/hello_tail"
# trace_pipe has one reader at a time: wait (up to 30 s) while another holds it
# --trigger runs /bin/true, which opens its shared libraries -- unless it is static
# (busybox's, in the lab VM): so a cat opens a file every 0.3 s while it runs.
for try in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	(while :; do sleep 0.3; cat /etc/passwd >/dev/null; done) &
	opener=$!
	out=$(timeout 30 "$WORK/hello_tail" --count 2000 --timeout 4 --trigger 2>&1)
	kill "$opener"; wait "$opener" 2>/dev/null
	echo "$out" | grep -q 'trace_pipe.*EBUSY\|trace_pipe is busy' || break
	sleep 2
done
keep "$out"
slot=$(echo "$out" | grep -m1 '^prog array')
echo "$out" | grep -q 'Opening a file$' &&
	done_ "the openat slot: $(echo "$slot" | grep -o ' 257=[a-z_]*')"
echo "$slot" | grep -q ' 257=' ||
	not_yet "slot 257 (__NR_openat) filled: [__NR_openat] = (void *)&your_program in the initial values" \
		"$(echo "$slot" | cut -c1-60)... with no 257" "$where"
not_yet "an \"Opening a file\" line from the program in slot 257" \
	"slot $(echo "$slot" | grep -o '257=[a-z_0-9]*'), but no such line" "$where"
