#!/bin/sh
# Exercise 10.1: progs/uprobe.bpf.c's on_entry counts only the calls of add_to_total
# whose argument is odd (ARG1(ctx) & 1): `uprobe --calls 5` enters 1, 3 and 5.
. "$(dirname "$0")/lib.sh"
for f in progs/uprobe.bpf.c progs/uprobe.c progs/uprobed.c; do
	[ -f "$DIR/$f" ] || broken "no $DIR/$f"
done
build_bpf "$DIR/progs/uprobe.bpf.c" "$WORK/uprobe.bpf.o"
build_user "$DIR/progs/uprobe.c" "$WORK/uprobe"
build_user "$DIR/progs/uprobed.c" "$WORK/uprobed"
where="The kernel side: \`progs/uprobe.bpf.c\`"
out=$(timeout 60 "$WORK/uprobe" --calls 5 2>&1)
keep "$out"
line=$(echo "$out" | grep "add_to_total entered")
echo "$line" | grep -q "entered 3 times, returned 5 times" &&
	done_ "only the odd calls were counted on entry: $line"
echo "$line" | grep -q "entered 5 times" &&
	not_yet "on_entry returning early when its argument, ARG1(ctx), is even" \
		"$(echo "$line" | grep -o 'entered [0-9]* times'): every call still counted" "$where"
not_yet "a line \"add_to_total entered 3 times, returned 5 times\"" \
	"$(echo "$out" | grep -m1 -i 'entered\|error\|uprobe:' || echo "$out" | tail -1)" "$where"
