#!/bin/sh
# Exercise 9.2: task_core has a __kconfig extern CONFIG_NR_CPUS and prints it at the
# end of its line: "... HZ 250 NR_CPUS 64".
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/task_core.bpf.c" ] || broken "no $DIR/progs/task_core.bpf.c"
want=$( (zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null) |
	sed -n 's/^CONFIG_NR_CPUS=//p')
[ -n "$want" ] || broken "this kernel's config (/proc/config.gz or /boot/config-$(uname -r)) is not there"
build_bpf "$DIR/progs/task_core.bpf.c" "$WORK/task_core.bpf.o"
build_user "$DIR/progs/task_core.c" "$WORK/task_core"
# The externs the program uses are VARs of the object's BTF (unused ones are left out).
externs=$("$ROOT/$B/rawbpf" btf "$WORK/task_core.bpf.o" --text |
	sed -n "s/.* VAR '\([A-Za-z_0-9]*\)' .*linkage=extern.*/\1/p" | tr '\n' ' ')
case " $externs" in
*" CONFIG_NR_CPUS "*) ;;
*) not_yet "a read of the __kconfig value CONFIG_NR_CPUS in the program" \
	"the externs it reads: ${externs:-none}" "Values from the kernel: \`__kconfig\`" ;;
esac
out=$(timeout 30 "$WORK/task_core" --count 1 --timeout 10 2>&1)
echo "$out" | grep -q "^pid .* HZ [0-9]* NR_CPUS $want\$" ||
	{ keep "$out"; not_yet "a line ending in \"NR_CPUS $want\" (the kernel's config says $want)" \
		"$(echo "$out" | grep -m1 '^pid ' || echo "$out" | tail -1)" "Values from the kernel: \`__kconfig\`"; }
done_ "$(echo "$out" | grep -m1 '^pid ')"
