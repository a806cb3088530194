#!/bin/sh
# Exercise 7.3: fix progs/bad_packet_bounds.bpf.c: accepted, and it still drops ARP
# frames and passes everything else.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_packet_bounds.bpf.c"
eth=ffffffffffff020000000001      # destination (broadcast) and source addresses
try packet_bounds -p "${eth}0806"
echo "$run" | grep -q '^retval 1$' ||
	not_yet "accepted, but an ARP frame (bytes 12-13: 08 06) should be dropped (XDP_DROP, 1).
It ran as:
$run"
try packet_bounds -p "${eth}0800"
echo "$run" | grep -q '^retval 2$' ||
	not_yet "accepted, but an IPv4 frame (bytes 12-13: 08 00) should pass (XDP_PASS, 2).
It ran as:
$run"
try packet_bounds -p "${eth}0806000108000604"
echo "$run" | grep -q '^retval 1$' ||
	not_yet "accepted, but a longer ARP frame should be dropped too (XDP_DROP, 1). It ran as:
$run"
done_ "accepted by the verifier; ARP frames dropped, IPv4 passed."
