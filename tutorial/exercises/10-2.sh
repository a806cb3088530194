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
"$ROOT/$B/rawbpf" load "$WORK/uprobe.bpf.o" 2>&1 | grep -q "^map  libc_bytes " ||
	not_yet "progs/uprobe.bpf.c declares no map named libc_bytes."
out=$(timeout 60 "$WORK/uprobe" 2>&1)
line=$(echo "$out" | grep "^ls (pid")
bytes=$(echo "$line" | sed -n 's/.* for \([0-9][0-9]*\) bytes$/\1/p')
[ -n "$bytes" ] || not_yet "no line \"ls (pid N): malloc called C times for B bytes\". uprobe printed:
$out"
[ "$bytes" -gt 0 ] || not_yet "ls asked malloc for 0 bytes? ($line) Add ARG1(ctx) to the
process's entry of libc_bytes in on_libc."
done_ "$line"
