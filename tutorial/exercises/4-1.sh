#!/bin/sh
# Exercise 4.1: hello_ringbuf counts its discards in a map "discards" and prints
# "discarded N" when it stops.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_ringbuf.bpf.c" ] || broken "no $DIR/progs/hello_ringbuf.bpf.c"
build_bpf "$DIR/progs/hello_ringbuf.bpf.c" "$WORK/hello_ringbuf.bpf.o"
build_user "$DIR/progs/hello_ringbuf.c" "$WORK/hello_ringbuf"
out=$(timeout 30 "$WORK/hello_ringbuf" --ignore-uid 0 --timeout 3 --trigger 2>&1)
n=$(echo "$out" | sed -n 's/^discarded \([0-9][0-9]*\)$/\1/p' | tail -1)
[ -n "$n" ] || not_yet "no \"discarded N\" line at the end. Read the map \"discards\" (key 0) after the
loop and print it. The program printed:
$(echo "$out" | tail -5)"
[ "$n" -ge 1 ] || not_yet "it says \"discarded $n\", but --trigger ran /bin/true as root several times and
--ignore-uid 0 discards those: is the count bumped on the discard path?"
done_ "root's records were discarded and counted: discarded $n"
