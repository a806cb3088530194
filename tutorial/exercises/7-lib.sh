# 7-lib.sh -- what lesson 7's checkers share (sourced after lib.sh).
#
# fix_accepted FILE: compile the learner's BPF C file to $WORK/x.bpf.o and insist that
# `rawbpf verify` accepts it; if not, show the failing row, the kernel's message and
# the hint, as the learner would see them.  Then build the test-run helper
# (7-testrun.c) as $WORK/testrun, for the checker to see the program do its job.
fix_accepted() {
	[ -f "$1" ] || broken "no $1"
	build_bpf "$1" "$WORK/x.bpf.o"
	"$ROOT/$B/rawbpf" verify "$WORK/x.bpf.o" > "$WORK/verify.out" 2>&1
	case $? in
	0) ;;
	1) not_yet "the verifier still rejects $(basename "$1"):
$(grep -e '^>' -e '^hint:' -B1 "$WORK/verify.out" | grep -v '^--$' | tail -n 4)
(all of it: make, then $B/rawbpf verify $B/progs/$(basename "$1" .c).o; lesson 7 reads it)" ;;
	*) broken "rawbpf verify could not run: $(cat "$WORK/verify.out")" ;;
	esac
	build_user "$ROOT/tutorial/exercises/7-testrun.c" "$WORK/testrun"
}

# try ARGS...: run the program once (7-testrun OBJ PROG ARGS); output in $run.
try() {
	run=$("$WORK/testrun" "$WORK/x.bpf.o" "$@" 2>&1) ||
		not_yet "accepted, but running it with BPF_PROG_TEST_RUN failed:
$run"
}
