#!/bin/sh
# Exercise 3.1: progs/hello_map counts per process id instead of per user id.
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/hello_map.bpf.c" ] || broken "no $DIR/progs/hello_map.bpf.c"
where="The chapter's counter: \`progs/hello_map.bpf.c\`"
build_bpf "$DIR/progs/hello_map.bpf.c" "$WORK/hello_map.bpf.o"
build_user "$DIR/progs/hello_map.c" "$WORK/hello_map"
timeout 30 "$WORK/hello_map" --interval 0.5 --count 6 --timeout 10 > "$WORK/out" 2>&1 &
bg=$!
sleep 1.5
/bin/true & p=$!
wait $p
wait $bg
out=$(cat "$WORK/out")
keep "$out"
echo "$out" | grep -q "ID $p: 1" && done_ "/bin/true (pid $p) has its own line: ID $p: 1"
# A key of 2^32 or more is the whole pid_tgid: tgid << 32 | thread id.
big=$(echo "$out" | grep -o 'ID [0-9]*' | awk '$2 >= 4294967296 { print $2; exit }')
[ -n "$big" ] &&
	not_yet "the process id alone: bpf_get_current_pid_tgid() >> 32" \
		"ID $big, which is $((big >> 32)) << 32 | $((big & 4294967295)): the whole pid_tgid, the thread id in the low half" "$where"
echo "$out" | grep -q "ID 0: " &&
	not_yet "the process id as the key, bpf_get_current_pid_tgid() >> 32" \
		"ID 0 (root's user id): the map is still keyed by user" "$where"
not_yet "a line \"ID $p: 1\" for the /bin/true the checker ran (pid $p)" \
	"$(echo "$out" | grep -m1 'ID' || echo "$out" | tail -1)" "$where"
