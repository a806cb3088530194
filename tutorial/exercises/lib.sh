# lib.sh -- what every exercise checker shares.  A checker is tutorial/exercises/L-N.sh
# (lesson L, exercise N), run as `make exercise LESSON=L N=N` or directly:
#
#     tutorial/exercises/1-1.sh [DIR]
#
# DIR holds the learner's files laid out as in the project (DIR/asm/hello.c, ...);
# it defaults to the project itself, so a learner edits the real files.  The suite
# runs every checker against tutorial/solutions/L-N (must pass) and against the
# unmodified project (must say "not yet" and why).  Exit 0 done, 1 not yet, 2 broken.

cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
DIR=${1:-$ROOT}
B=${B:-build}
EX=$(basename "$0" .sh)
WORK=$(mktemp -d /tmp/rawbpf-ex.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

done_() { echo "exercise $EX: done. $*"; exit 0; }
not_yet() { echo "exercise $EX: not yet: $*"; exit 1; }
broken() { echo "exercise $EX: cannot check: $*" >&2; exit 2; }

# Your code is built against the library and headers as they are now.
make -s -C "$ROOT" B="$B" all >/dev/null || broken "the project does not build"
[ "$(id -u)" = 0 ] || broken "run it as root: the checker loads your program into the kernel"

# build_user FILE OUT: compile a user-space C file against the loader, as make does
# (with make's CFLAGS and LDFLAGS when it passes them: make check-asan does).
build_user() {
	# shellcheck disable=SC2086
	cc -std=c11 -D_GNU_SOURCE ${CFLAGS:--O2} -Wall -Wextra -Werror -I"$ROOT/include" ${LDFLAGS--static} \
		-o "$2" "$1" "$ROOT/$B/librawbpf.a" > "$WORK/cc.log" 2>&1 ||
		not_yet "$1 does not compile:
$(head -20 "$WORK/cc.log")"
}

# build_bpf FILE OUT: compile a BPF C file as make does.
build_bpf() {
	clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -I"$ROOT/include" \
		-idirafter "/usr/include/$(cc -print-multiarch)" -c "$1" -o "$2" \
		> "$WORK/clang.log" 2>&1 ||
		not_yet "$1 does not compile:
$(head -20 "$WORK/clang.log")"
}
