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
		not_yet "rawbpf load refused your object:
$(cat "$WORK/load.out")"
	id=$(awk '$1 == "map" && $2 == "counter_table" { print $NF }' "$WORK/load.out")
}
load
id1=$id
[ -n "$id1" ] || not_yet "rawbpf load did not list a map named counter_table"
[ -e "$pin" ] ||
	not_yet "rawbpf load created counter_table (id $id1) and exited, and the kernel freed it:
nothing pinned it at $pin. Add __uint(pinning, LIBBPF_PIN_BY_NAME); to the map's
declaration in progs/hello_map.bpf.c."
# the pin must hold the map this load created, not an older one
pinned=$("$ROOT/$B/rawbpf" map show pinned "$pin" 2>&1 | awk 'NR == 2 { print $1 }')
[ "$pinned" = "$id1" ] ||
	not_yet "$pin holds map ${pinned:-?}, not the map this load created (id $id1): the
pin is an older map. If you changed the map, remove the old pin (rm $pin) and run the
checker again."
load
id2=$id
[ "$id1" = "$id2" ] ||
	not_yet "the second load created another map (id $id2; the first was $id1)."
done_ "counter_table (map id $id1) outlived rawbpf load, pinned at $pin, and the next load reused it."
