#!/bin/sh
# demo.sh: what `make run` shows -- the course's first lessons, live and bounded in time.
# Every step is a command from a lesson; each prints what it is about to do.
B=${B:-build}
cd "$(dirname "$0")/.." || exit 2
if [ "$(id -u)" != 0 ]; then
	echo "make run: the lessons load programs into the kernel: run it as root (sudo make run)" >&2
	exit 1
fi

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold='\033[1m' off='\033[0m'; else bold= off=; fi
step() { printf "\n${bold}== %s${off}\n\$ %s\n" "$1" "$2"; }

step "Lesson 0: what this machine offers the course" "build/rawbpf doctor"
"$B/rawbpf" doctor || exit 1

step "Lesson 1: Hello World from eight-byte instructions (asm/hello.c)" \
     "build/asm/hello --count 3 --timeout 10 --trigger"
"$B/asm/hello" --count 3 --timeout 10 --trigger || exit 1

step "Lesson 2: the same Hello World from C, compiled by clang (progs/hello.bpf.c)" \
     "build/progs/hello --count 3 --timeout 10 --trigger"
"$B/progs/hello" --count 3 --timeout 10 --trigger || exit 1

step "Lesson 3: a hash map counts execve per user (progs/hello_map.bpf.c)" \
     "build/progs/hello_map --timeout 5 --trigger"
"$B/progs/hello_map" --timeout 5 --trigger || exit 1

printf '\nThe course goes on in tutorial/ -- start at tutorial/00-your-machine.md.\n'
