#!/bin/sh
# Exercise 1.2: build the message with 32-bit immediate stores only (no BPF_LD_IMM64).
. "$(dirname "$0")/lib.sh"
f=$DIR/asm/hello.c
[ -f "$f" ] || broken "no $f"
grep -q 'BPF_LD_IMM64' "$f" &&
	not_yet "$f still uses BPF_LD_IMM64. Store \"Hello World!\" with BPF_ST_MEM(BPF_W, ...)
instructions only: four bytes at a time, each an immediate."
build_user "$f" "$WORK/hello"
out=$(timeout 30 "$WORK/hello" --count 3 --timeout 10 --trigger 2>&1)
echo "$out" | grep -q 'Hello World!$' ||
	not_yet "the program no longer prints \"Hello World!\". It printed:
$out"
echo "$out" | grep -q 'accepted 1[0-9] instructions' ||
	not_yet "hmm: expected the verifier to accept the new program. It printed:
$out"
done_ "$(echo "$out" | grep -m1 accepted)"
