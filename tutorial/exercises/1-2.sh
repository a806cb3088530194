#!/bin/sh
# Exercise 1.2: build "Hello World!" with four-byte immediate stores only.
. "$(dirname "$0")/lib.sh"
f=$DIR/asm/hello.c
[ -f "$f" ] || broken "no $f"
where="The program, as instructions"
grep -q '^[^/]*BPF_LD_IMM64' "$f" &&
	not_yet "the message stored with BPF_ST_MEM(BPF_W, ...) only, four bytes at a time" \
		"$(basename "$f") still uses $(grep -m1 -o 'BPF_LD_IMM64([^)]*)' "$f")" "$where"
build_user "$f" "$WORK/hello"
out=$(timeout 30 "$WORK/hello" --count 3 --timeout 10 --trigger 2>&1)
keep "$out"
echo "$out" | grep -q 'accepted 1[0-9] instructions' ||
	not_yet "the verifier to accept the program" "$(echo "$out" | grep -m1 -i 'verifier\|error' || echo "$out" | head -1)" \
		"lesson 1, \"Loading: BPF_PROG_LOAD\""
echo "$out" | grep -q 'Hello World!$' ||
	not_yet "\"Hello World!\" still printed, all twelve characters and the zero" \
		"$(traced "$out")" "$where"
done_ "$(echo "$out" | grep -m1 accepted)"
