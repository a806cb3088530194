#!/bin/sh
# Exercise 4.1: count discarded records in an array map "discards"; print
# "discarded N" when it stops.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_ringbuf.bpf.c" ] || broken "no $DIR/progs/hello_ringbuf.bpf.c"
where="The ring buffer: \`progs/hello_ringbuf.bpf.c\`"
build_bpf "$DIR/progs/hello_ringbuf.bpf.c" "$WORK/hello_ringbuf.bpf.o"
build_user "$DIR/progs/hello_ringbuf.c" "$WORK/hello_ringbuf"
out=$(timeout 30 "$WORK/hello_ringbuf" --ignore-uid 0 --timeout 3 --trigger 2>&1)
keep "$out"
n=$(echo "$out" | sed -n 's/^discarded \([0-9][0-9]*\)$/\1/p' | tail -1)
[ -n "$n" ] ||
	not_yet "a last line \"discarded N\": read the map \"discards\" (key 0) after the loop and print it" \
		"the last line is \"$(echo "$out" | tail -1)\"" "$where"
[ "$n" -ge 1 ] ||
	not_yet "a count bumped on the discard path (--trigger ran /bin/true as root, and --ignore-uid 0 discards those)" \
		"discarded $n" "lesson 3, \"Counting from many CPUs: atomic instructions\""
done_ "root's records were discarded and counted: discarded $n"
