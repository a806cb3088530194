#!/bin/sh
# Exercise 9.1: task_core also reads the parent's name, prev->real_parent->comm, and
# prints it after the parent's pid: "parent 4200 bash (getppid 4200)".
. "$(dirname "$0")/lib.sh"
[ -f "$DIR/progs/task_core.bpf.c" ] || broken "no $DIR/progs/task_core.bpf.c"
build_bpf "$DIR/progs/task_core.bpf.c" "$WORK/task_core.bpf.o"
build_user "$DIR/progs/task_core.c" "$WORK/task_core"
out=$(timeout 30 "$WORK/task_core" --count 1 --timeout 10 2>&1)
# GNU timeout forks the program (its parent: timeout); busybox's, in the lab VM,
# leaves it a child of this script (9-1.sh)
echo "$out" | grep -qE '^pid [0-9]* \(task_core\) parent [0-9]* (timeout|9-1\.sh) \(getppid [0-9]*\)' ||
	{ keep "$out"; not_yet "a line \"pid P (task_core) parent N timeout (getppid N) ...\" (the checker runs your program under timeout(1), so its parent is called timeout)" \
		"$(echo "$out" | grep -m1 '^pid ' || echo "$out" | tail -1)" "The program: \`progs/task_core.bpf.c\`"; }
done_ "$(echo "$out" | grep -m1 '^pid ')"
