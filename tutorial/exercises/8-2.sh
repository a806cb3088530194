#!/bin/sh
# Exercise 8.2: make counter_table per-CPU (BPF_MAP_TYPE_PERCPU_HASH) and have
# progs/hello_map.c sum one value per possible CPU.  Checked through the kernel's view
# (the map's type from `rawbpf map show pinned`) and by running your hello_map while /bin/true
# runs as nobody on the last CPU, so that a user side reading only CPU 0's value falls
# short (nobody, because root's execve calls from elsewhere land on every CPU).
. "$(dirname "$0")/lib.sh"
bpf=$DIR/progs/hello_map.bpf.c
user=$DIR/progs/hello_map.c
[ -f "$bpf" ] && [ -f "$user" ] || broken "no $bpf or $user"
pins=/sys/fs/bpf/rawbpf_exercise_8_2_$$     # bpffs refuses dots in names
trap 'rm -rf "$WORK" "$pins"' EXIT
build_bpf "$bpf" "$WORK/hello_map.bpf.o"

# The map's type as the kernel has it: load with pins, ask by the pin.
out=$("$ROOT/$B/rawbpf" load "$WORK/hello_map.bpf.o" --pin "$pins" 2>&1) ||
	{ keep "$out"; not_yet "an object rawbpf load accepts" "$(echo "$out" | grep -m1 -i 'error\|refused\|cannot' || echo "$out" | head -1)" \
		"lesson 7, \"A rejected program\""; }
type=$("$ROOT/$B/rawbpf" map show pinned "$pins/maps/counter_table" | awk 'NR == 2 { print $2 }')
rm -rf "$pins"
[ "$type" = percpu_hash ] ||
	not_yet "counter_table as BPF_MAP_TYPE_PERCPU_HASH in progs/hello_map.bpf.c" \
		"the kernel holds it as a ${type:-?} map" "lesson 3, \"Every map type, every operation: \`progs/maps\`\""

# The user side: count 50 execve calls made by nobody (uid 65534) on the last CPU.
build_user "$user" "$WORK/hello_map"
cpu=$(( $(nproc) - 1 ))
: > "$WORK/run.out"              # there before the loop below reads it
timeout 60 "$WORK/hello_map" --count 3 --interval 1 --timeout 20 > "$WORK/run.out" 2>&1 &
pid=$!
i=0
while [ $i -lt 50 ] && ! grep -q '^counting' "$WORK/run.out"; do sleep 0.1; i=$((i + 1)); done
grep -q '^counting' "$WORK/run.out" || { kill "$pid" 2>/dev/null; wait "$pid"
	keep "$(cat "$WORK/run.out")"
	not_yet "your hello_map counting" "$(head -1 "$WORK/run.out")" "rawbpf map list, map dump"; }
# all on one CPU (taskset; the loop's shell is pinned too), so CPU 0 sees none of them
loop='i=0; while [ $i -lt 50 ]; do /bin/true; i=$((i + 1)); done'
taskset -c "$cpu" "$(command -v setpriv)" --reuid=65534 --regid=65534 --clear-groups sh -c "$loop" ||
	{ kill "$pid" 2>/dev/null; broken "could not run /bin/true as uid 65534 on CPU $cpu (taskset, setpriv: util-linux)"; }
wait "$pid"
st=$?
keep "$(cat "$WORK/run.out")"
[ $st = 0 ] || not_yet "your hello_map to run to its end (a lookup of a per-CPU map fills one 8-byte value per possible CPU: is the buffer that big?)" \
	"it exited with status $st ($(grep -m1 '^hello_map: ' "$WORK/run.out" || tail -1 "$WORK/run.out"))" "lesson 3, \"Every map type, every operation: \`progs/maps\`\""
n=$(grep -o 'ID 65534: [0-9]*' "$WORK/run.out" | awk '{ if ($3 > max) max = $3 } END { print max + 0 }')
[ "$n" -ge 50 ] ||
	not_yet "the sum over every possible CPU (rbpf_num_possible_cpus()), not the first CPU's value" \
		"50 execve calls as uid 65534 on CPU $cpu, but at most ID 65534: $n" "lesson 3, \"Every map type, every operation: \`progs/maps\`\""
done_ "counter_table is per-CPU in the kernel, and hello_map summed the $n execve calls of UID 65534 across CPUs."
