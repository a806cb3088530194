#!/bin/sh
# Exercise 7.3: make bad_packet_bounds load: check the packet's length, drop ARP
# frames and pass everything else.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tutorial/exercises/7-lib.inc"
fix_accepted "$DIR/progs/bad_packet_bounds.bpf.c"
eth=ffffffffffff020000000001      # destination (broadcast) and source addresses
try packet_bounds -p "${eth}0806"
retval 1 "an ARP frame (bytes 12-13: 08 06) dropped, XDP_DROP (1)"
try packet_bounds -p "${eth}0800"
retval 2 "an IPv4 frame (bytes 12-13: 08 00) passed, XDP_PASS (2)"
try packet_bounds -p "${eth}0806000108000604"
retval 1 "a longer ARP frame dropped too, XDP_DROP (1)"
done_ "accepted by the verifier; ARP frames dropped, IPv4 passed."
