#!/bin/sh
# Exercise 3.1: progs/hello_map counts per process id instead of per user id.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_map.bpf.c" ] || broken "no $DIR/progs/hello_map.bpf.c"
build_bpf "$DIR/progs/hello_map.bpf.c" "$WORK/hello_map.bpf.o"
build_user "$DIR/progs/hello_map.c" "$WORK/hello_map"
timeout 30 "$WORK/hello_map" --interval 0.5 --count 6 --timeout 10 > "$WORK/out" 2>&1 &
bg=$!
sleep 1.5
/bin/true & p=$!
wait $p
wait $bg
out=$(cat "$WORK/out")
echo "$out" | grep -q "ID $p: 1" && done_ "/bin/true (pid $p) has its own line: ID $p: 1"
echo "$out" | grep -q "ID 0: " &&
	not_yet "the map is still keyed by user id (ID 0 is root). The key should be the process id:
bpf_get_current_pid_tgid() >> 32."
not_yet "no line \"ID $p: 1\" for the /bin/true we ran (pid $p). The program printed:
$out"
