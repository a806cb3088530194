#!/bin/sh
# Exercise 1.1: make asm/hello print "Hello eBPF!" instead of "Hello World!".
. "$(dirname "$0")/lib.sh"
f=$DIR/asm/hello.c
[ -f "$f" ] || broken "no $f"
build_user "$f" "$WORK/hello"
out=$(timeout 30 "$WORK/hello" --count 3 --timeout 10 --trigger 2>&1)
line=$(echo "$out" | grep -m1 'Hello eBPF!$')
[ -n "$line" ] && done_ "the kernel printed:$line"
echo "$out" | grep -q 'Hello World!' &&
	not_yet "the kernel still prints \"Hello World!\". Change the bytes the program stores on the
stack (remember: little-endian, the first character is the lowest byte) and the size in r2."
echo "$out" | grep -q 'Hello eBPF' &&
	not_yet "close: the line is not exactly \"Hello eBPF!\". Check the last bytes and the size in r2
(it counts the terminating zero)."
not_yet "no \"Hello eBPF!\" line came out. The program printed:
$out"
