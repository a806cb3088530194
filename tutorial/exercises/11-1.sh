#!/bin/sh
# Exercise 11.1: count bytes per kind in a per-CPU array `bytes`; progs/packets prints
# "total bytes in:  ..." (three pings: icmp 294).
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/packets.bpf.c" ] || broken "no $DIR/progs/packets.bpf.c"
where="The program: \`progs/packets.bpf.c\`"
command -v ip >/dev/null && command -v ping >/dev/null || broken "needs ip(8) and ping(8) (tests/deps.sh test)"
build_bpf "$DIR/progs/packets.bpf.c" "$WORK/packets.bpf.o"
build_user "$DIR/progs/packets.c" "$WORK/packets"
out=$(timeout 60 "$WORK/packets" --drop none 2>&1)
keep "$out"
echo "$out" | grep -q '^total in (xdp):' ||
	not_yet "progs/packets to run to its totals" "$(echo "$out" | grep -m1 -i 'error\|refused\|fail\|packets:' || echo "$out" | tail -1)" "$where"
line=$(echo "$out" | grep -m1 '^total bytes in:')
[ -n "$line" ] ||
	not_yet "a line \"total bytes in:  ...\" from packets.c (print_counts on the map \"bytes\")" \
		"the totals: $(echo "$out" | grep '^total' | tr '\n' ';')" "$where"
case "$line" in
*"icmp 294"*) done_ "$line" ;;
*"icmp 3"|*"icmp 3 "*)
	not_yet "bytes, not frames: add data_end - data, not 1" "$line" "$where" ;;
*"nothing"*)
	not_yet "the frame's length added to bytes[kind] in count_packets" "$line" "$where" ;;
*) not_yet "icmp 294 (three 98-byte ping frames)" "$line" "$where" ;;
esac
