# lib.sh -- what every exercise checker shares.  A checker is tutorial/exercises/L-N.sh
# (lesson L, exercise N), run as `make exercise LESSON=L N=N` or directly:
#
#     tutorial/exercises/1-1.sh [DIR]
#
# DIR holds the learner's files laid out as in the project (DIR/asm/hello.c, ...);
# it defaults to the project itself, so a learner edits the real files.  The suite
# runs every checker against tutorial/solutions/L-N (must pass), against the
# unmodified project (must say "not yet" and why), and against wrong attempts
# (tests/exercises.c: each message below is triggered by one).  Exit 0 done, 1 not
# yet, 2 broken.
#
# A "not yet" is one line: what is missing, what the checker saw, and the section of
# the lesson to read again.  Everything the learner's program printed goes to a log
# file whose path ends the line, for when the one line is not enough.

cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
DIR=${1:-$ROOT}
B=${B:-build}
EX=$(basename "$0" .sh)
LESSON=${EX%-*}
WORK=$(mktemp -d /tmp/rawbpf-ex.XXXXXX)
LOG=$B/exercise-$EX.log                   # relative to ROOT: short on the screen
trap 'rm -rf "$WORK"' EXIT
rm -f "$ROOT/$LOG"

done_() { echo "exercise $EX: done. $*"; exit 0; }
broken() { echo "exercise $EX: cannot check: $*" >&2; exit 2; }

# oneline TEXT: TEXT on one line (newlines and runs of blanks become one space),
# cut to 110 characters: what the checker saw, quoted in a message.
oneline() {
	printf '%s' "$1" | tr '\n\t' '  ' | tr -s ' ' | sed 's/^ //; s/ $//' | cut -c1-110
}

# keep TEXT: save the learner's program's output in the log (appended).
keep() {
	mkdir -p "$ROOT/$B" && printf '%s\n' "$1" >> "$ROOT/$LOG"
}

# not_yet MISSING SEEN SECTION: one line, exit 1.  SECTION is the heading of lesson
# $LESSON to read again (or "lesson N, heading" for another lesson).
not_yet() {
	where=$3
	case "$where" in lesson*) ;; *) where="lesson $LESSON, \"$where\"" ;; esac
	msg="exercise $EX: not yet: $1; seen: $(oneline "$2"). Read $where"
	[ -s "$ROOT/$LOG" ] && msg="$msg (all output: $LOG)"
	echo "$msg."
	exit 1
}

# first_error LOG FILE: the compiler's first error in FILE, without the path before
# it.  An error the compiler reports in a header (a macro of FILE's, expanded there)
# is given at FILE's line that led to it, the header's place after it; one with no
# line of FILE (the linker's) as it is.
first_error() {
	name=$(basename "$2") at=
	e=$(grep -m1 "$name:[0-9][0-9]*:[0-9][0-9]*: error" "$1")
	[ -n "$e" ] || { e=$(grep -m1 'error' "$1"); at=$(grep -m1 -o "$name:[0-9][0-9]*:[0-9][0-9]*" "$1"); }
	e=$(printf '%s\n' "$e" | sed 's|^.*/\([^/]*:[0-9]*:[0-9]*: \)|\1|')
	case "$e" in
	"$name:"*|"") echo "$e" ;;
	*:[0-9]*:[0-9]*": "*) [ -n "$at" ] && echo "$at: ${e#*: } (at ${e%%: *})" || echo "$e" ;;
	*) echo "$e" ;;
	esac
}

# Your code is built against the library and headers as they are now.  (The lab VM
# has no make and no compiler: it runs on the build it was given, see below.)
if command -v make >/dev/null; then
	make -s -C "$ROOT" B="$B" all >/dev/null || broken "the project does not build"
fi
[ "$(id -u)" = 0 ] || broken "run it as root: the checker loads your program into the kernel"

# Builds kept for the lab VM, which has no compiler (make vm-check runs the suite
# there): every build made here is also copied to $B/exercises/KEY.KIND, KEY being a
# hash of everything that went into it -- the file, the flags, the headers and the
# library's sources (loader/*.c: librawbpf.a, which the Makefile's stamp follows).  Where cc or clang is missing, a build with the same KEY is taken
# from there; `make check` on the host leaves one for each checker's start and
# solution, and tests/vm/initramfs.sh carries $B into the VM.
build_key() {
	{ cat "$1"; echo "$CFLAGS $LDFLAGS"; cat "$ROOT"/include/*.h
	  find "$ROOT/loader" -maxdepth 1 -name '*.c' | sort | xargs cat; } | sha256sum | cut -c1-32
}
keep_build() {       # keep_build FILE OUT KIND
	mkdir -p "$ROOT/$B/exercises" && cp "$2" "$ROOT/$B/exercises/$(build_key "$1").$3"
}
kept_build() {       # kept_build FILE OUT KIND TOOL: 0 if a kept build was copied to OUT
	k="$ROOT/$B/exercises/$(build_key "$1").$3"
	[ -f "$k" ] || broken "no $4 here (the lab VM has none) and no build of $1 made on
the host with the same sources: run the checker on the host, or make check there first"
	cp "$k" "$2" && chmod +x "$2"
}

# build_user FILE OUT: compile a user-space C file against the loader, as make does
# (with make's CFLAGS and LDFLAGS when it passes them: make check-asan does).
build_user() {
	if ! command -v cc >/dev/null; then kept_build "$1" "$2" user cc; return; fi
	# shellcheck disable=SC2086
	cc -std=c11 -D_GNU_SOURCE ${CFLAGS:--O2} -Wall -Wextra -Werror -I"$ROOT/include" ${LDFLAGS--static} \
		-o "$2" "$1" "$ROOT/$B/librawbpf.a" > "$WORK/cc.log" 2>&1 || {
		keep "$(cat "$WORK/cc.log")"
		not_yet "$(basename "$1") to compile" "$(first_error "$WORK/cc.log" "$1")" \
			"lesson $LESSON, the excerpt of $(basename "$1"), after the compiler's messages in the log"; }
	keep_build "$1" "$2" user
}

# build_bpf FILE OUT: compile a BPF C file as make does.
build_bpf() {
	if ! command -v clang >/dev/null; then kept_build "$1" "$2" bpf.o clang; return; fi
	clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -I"$ROOT/include" \
		-idirafter "/usr/include/$(cc -print-multiarch)" -c "$1" -o "$2" \
		> "$WORK/clang.log" 2>&1 || {
		keep "$(cat "$WORK/clang.log")"
		not_yet "$(basename "$1") to compile" "$(first_error "$WORK/clang.log" "$1")" \
			"lesson $LESSON, the excerpt of $(basename "$1"), after the compiler's messages in the log"; }
	keep_build "$1" "$2" bpf.o
}

# traced OUTPUT [START]: the message of the first trace_pipe line in OUTPUT (what
# follows "task-pid [cpu] timestamp: ") that starts with START (default "Hello": other
# programs on the machine write to trace_pipe too), or "no line from the program".
traced() {
	m=$(printf '%s\n' "$1" | sed -n 's/^.*\] [0-9.]*: //p' | grep "^${2:-Hello}" | head -1)
	echo "${m:-no line from the program}"
}
