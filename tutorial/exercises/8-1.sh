#!/bin/sh
# Exercise 8.1: pin counter_table by name (__uint(pinning, LIBBPF_PIN_BY_NAME)) so that
# it outlives the loader and the next load reuses it.  Checked through the kernel's
# view: the map id after each load, and `rawbpf map show pinned` after the loader
# exited.
. "$(dirname "$0")/lib.sh"
pin=/sys/fs/bpf/counter_table
f=$DIR/progs/hello_map.bpf.c
[ -f "$f" ] || broken "no $f"
mountpoint -q /sys/fs/bpf 2>/dev/null || [ -d /sys/fs/bpf ] || broken "no bpffs at /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf)"
# A pin left by your own runs is used as it is and left in place; one the checker
# makes, it removes.
[ -e "$pin" ] && had=1 || had=
trap 'rm -rf "$WORK"; [ -n "$had" ] || rm -f "$pin"' EXIT
build_bpf "$f" "$WORK/hello_map.bpf.o"

# load: run `rawbpf load` on the object; $id is counter_table's map id.
load() {
	"$ROOT/$B/rawbpf" load "$WORK/hello_map.bpf.o" > "$WORK/load.out" 2>&1 ||
		{ keep "$(cat "$WORK/load.out")"; not_yet "an object rawbpf load accepts" \
			"$(grep -m1 -i 'error\|refused\|cannot' "$WORK/load.out" || head -1 "$WORK/load.out")" "lesson 7, \"A rejected program\""; }
	id=$(awk '$1 == "map" && $2 == "counter_table" { print $NF }' "$WORK/load.out")
}
load
id1=$id
[ -n "$id1" ] || not_yet "a map named counter_table in what rawbpf load lists" \
	"$(grep -m1 '^map' "$WORK/load.out" || echo 'no map')" "Objects that outlive their loader"
[ -e "$pin" ] ||
	not_yet "a pin at $pin: __uint(pinning, LIBBPF_PIN_BY_NAME); in counter_table's declaration" \
		"rawbpf load created counter_table (id $id1), exited, and the kernel freed it" "Objects that outlive their loader"
# the pin must hold the map this load created, not an older one
pinned=$("$ROOT/$B/rawbpf" map show pinned "$pin" 2>&1 | awk 'NR == 2 { print $1 }')
[ "$pinned" = "$id1" ] ||
	not_yet "the pin to hold the map this load created (id $id1): an older pin stays until removed (rm $pin, then again)" \
		"$pin holds map ${pinned:-?}" "Unpinning"
load
id2=$id
[ "$id1" = "$id2" ] ||
	not_yet "the second load to reuse the pinned map" "it created another map (id $id2; the first was $id1)" \
		"Objects that outlive their loader"
done_ "counter_table (map id $id1) outlived rawbpf load, pinned at $pin, and the next load reused it."
