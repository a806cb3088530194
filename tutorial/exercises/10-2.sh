#!/bin/sh
# Exercise 10.2: on_libc also adds malloc's argument (the bytes asked for) per process
# in a second map, libc_bytes, and progs/uprobe.c prints it:
#   ls (pid N): malloc called C times for B bytes
. "$(dirname "$0")/lib.sh"
for f in progs/uprobe.bpf.c progs/uprobe.c progs/uprobed.c; do
	[ -f "$DIR/$f" ] || broken "no $DIR/$f"
done
[ -e /lib/x86_64-linux-gnu/libc.so.6 ] || [ -e /lib64/libc.so.6 ] || [ -e /usr/lib/libc.so.6 ] ||
	broken "no libc.so.6 on this machine (the lab VM has only static programs): do it on the host"
build_bpf "$DIR/progs/uprobe.bpf.c" "$WORK/uprobe.bpf.o"
build_user "$DIR/progs/uprobe.c" "$WORK/uprobe"
build_user "$DIR/progs/uprobed.c" "$WORK/uprobed"
where="The kernel side: \`progs/uprobe.bpf.c\`"
"$ROOT/$B/rawbpf" load "$WORK/uprobe.bpf.o" 2>&1 | grep -q "^map  libc_bytes " ||
	not_yet "a map named libc_bytes in progs/uprobe.bpf.c" \
		"rawbpf load lists $("$ROOT/$B/rawbpf" load "$WORK/uprobe.bpf.o" 2>&1 | grep -c '^map') maps, none of them libc_bytes" "$where"
out=$(timeout 60 "$WORK/uprobe" 2>&1)
keep "$out"
line=$(echo "$out" | grep "^ls (pid")
bytes=$(echo "$line" | sed -n 's/.* for \([0-9][0-9]*\) bytes$/\1/p')
[ -n "$bytes" ] ||
	not_yet "a line \"ls (pid N): malloc called C times for B bytes\" from progs/uprobe.c" \
		"${line:-$(echo "$out" | tail -1)}" "The user side: \`progs/uprobe.c\`"
[ "$bytes" -gt 0 ] ||
	not_yet "ARG1(ctx) added to the process's entry of libc_bytes in on_libc" "$line" "$where"
done_ "$line"
