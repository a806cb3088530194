# rawbpf -- eBPF from the system call up.
#
#   make            build everything into build/
#   make run        the course's first lessons, live (bounded in time)
#   make check      build and run every test (kernel tests need root)
#   make vm-check   the same suite inside the lab VM (Debian's 6.1 kernel; KERNEL=5.10|6.12)
#   make bench      rawbpf against libbpf, printed as ratios
#   V=1             show the commands
#
# Every target first runs tests/deps.sh, which installs what is missing and says why.

B        := build
CC       ?= cc
CLANG    ?= clang
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude
LDFLAGS  ?= -static
# "=" not ":=": asked when a BPF object is compiled, after tests/deps.sh has installed
# the compiler (on a fresh machine it is not there when make starts).
MULTIARCH = $(shell $(CC) -print-multiarch 2>/dev/null)
# BPF programs: -g keeps BTF (maps, line info); the uapi headers need the host's asm/ dir.
BPF_CFLAGS = -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -Iinclude \
              -I$(B)/include -idirafter /usr/include/$(MULTIARCH)

ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-7s %s\n' $(1) $(2)
endif

LIB_SRC  := $(wildcard loader/*.c)
CMD_SRC  := $(wildcard loader/cmd/*.c)
BPF_SRC  := $(wildcard progs/*.bpf.c tests/bpf/*.bpf.c bench/*.bpf.c)
PROG_SRC := $(filter-out %.bpf.c,$(wildcard progs/*.c))
ASM_SRC  := $(wildcard asm/*.c)
TEST_SRC := $(wildcard tests/*.c)

LIB      := $(B)/librawbpf.a
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(B)/%.o)
BPF_OBJ  := $(BPF_SRC:%.bpf.c=$(B)/%.bpf.o)
BPF_LST  := $(BPF_SRC:%.bpf.c=$(B)/%.bpf.lst)
PROGS    := $(PROG_SRC:%.c=$(B)/%)
ASMS     := $(ASM_SRC:%.c=$(B)/%)
TEST_OBJ := $(TEST_SRC:%.c=$(B)/%.o)
RUNNER   := $(B)/tests/runner
NEIGHBOUR := $(B)/tests/noisy/neighbour
DEPS     := $(B)/.deps-build

all: $(LIB) $(B)/rawbpf $(BPF_OBJ) $(BPF_LST) $(PROGS) $(ASMS) $(RUNNER) $(NEIGHBOUR)

# --- dependencies: installed once per build tree, each one announced -------------
$(DEPS):
	$(Q)tests/deps.sh build
	$(Q)mkdir -p $(B) && touch $@

$(B)/.deps-test: $(DEPS)
	$(Q)tests/deps.sh test
	$(Q)touch $@

# --- the library and the command ---------------------------------------------------
$(B)/%.o: %.c $(wildcard include/*.h loader/*.h loader/cmd/*.h tests/*.h) | $(DEPS)
	$(call say,CC,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/rawbpf: $(CMD_OBJ) $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) $(LIB)

# --- BPF objects, with a listing beside each (read it: it is what the verifier reads)
$(B)/%.bpf.o: %.bpf.c $(wildcard include/*.h) | $(DEPS)
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# vmlinux.h: every type of the running kernel as C, for CO-RE programs
# (#include "vmlinux.h"); an object that includes it lists it as a prerequisite.
$(B)/include/vmlinux.h: $(B)/rawbpf
	$(call say,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(B)/rawbpf btf --c > $@.tmp && mv $@.tmp $@

$(B)/%.bpf.lst: $(B)/%.bpf.o
	$(Q)llvm-objdump -d -r --no-show-raw-insn $< > $@

# --- lessons (progs/NAME.c), raw-instruction programs (asm/NAME.c) ----------------
$(B)/progs/%: progs/%.c $(LIB) $(wildcard include/*.h)
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB)

$(B)/asm/%: asm/%.c $(LIB) $(wildcard include/*.h asm/*.h)
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB)

# --- tests -------------------------------------------------------------------------
$(RUNNER): $(TEST_OBJ) $(LIB)
	$(call say,LD,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIB)

check: all $(B)/.deps-test
	$(Q)B=$(B) tests/run

run: all
	$(Q)tutorial/demo.sh

clean:
	rm -rf $(B)

.PHONY: all check run clean
.SECONDARY:

# --- the course's exercises: make exercise LESSON=1 N=1 ----------------------------
# A checker's "not yet" is one line and its exit status 1.  make would add its own
# "make: *** [Makefile:NN: exercise] Error 1", which reads like a broken build; so on
# a non-zero status the recipe ends make itself with SIGPIPE, the one signal after
# which neither make nor the shell prints anything.  The status stays non-zero (141).
# TREE=DIR checks the files of another copy laid out as the project (default: this one).
exercise: all
	$(Q)B=$(B) tutorial/exercises/check.sh "$(LESSON)" "$(N)" $(TREE) || kill -PIPE $$PPID
.PHONY: exercise

# --- the lab VM (tests/vm/): the same suite on Debian's stock kernels, under qemu ------
#   make vm-check                 boot 6.1 (Debian 12), run the suite inside, exit with its status
#   make vm-check KERNEL=5.10     ... Debian 11's 5.10; KERNEL=6.12: Debian 13's 6.12
#   make vm-check-all             the three, one after the other
#   make vm-check VM_TESTS="vm_ attach_kprobe"   only the tests starting with those
#   make vm [KERNEL=...]          the same VM with a root shell (Ctrl-A X quits)
#   VM_ACCEL=kvm VM_CPUS=2 VM_MEM=2048 VM_TIMEOUT=900: see tests/vm/run
KERNEL      ?= 6.1
VM_KERNELS  := 5.10 6.1 6.12

$(B)/.deps-vm: $(DEPS)
	$(Q)tests/deps.sh vm
	$(Q)touch $@

# The VM has no compiler: what the suite compiles at run time -- the exercise checkers'
# builds (tutorial/exercises/lib.sh keeps them in $(B)/exercises) and the 1,000-program
# and 1,000-map objects (tests/hardening_limits.c, in $(B)/tests/limits) -- is compiled
# here first, by running those tests on the host, and carried into the VM with $(B).
VM_PREBUILT := $(B)/vm/prebuilt.stamp
# exercise_L_N (start and solution; exercise_1 is also 10, 11, 12), not exercise_wrong_*:
# the VM skips wrong attempts (it cannot compile them), so they need no builds.
EXERCISE_TESTS := $(foreach l,1 2 3 4 5 6 7 8 9,exercise_$(l))

$(VM_PREBUILT): $(LIB) $(RUNNER) $(wildcard tutorial/exercises/* tutorial/solutions/* \
		progs/*.c asm/*.c include/*.h) tests/hardening_limits.c $(B)/.deps-test
	$(call say,PREBUILD,$(B)/exercises $(B)/tests/limits)
	$(Q)rm -rf $(B)/exercises $(B)/tests/limits && mkdir -p $(B)/vm
	$(Q)$(B)/tests/runner $(EXERCISE_TESTS) hard_limits_1000 > $(B)/vm/prebuilt.log 2>&1 || \
		echo "vm: some builds for the VM failed on the host: see $(B)/vm/prebuilt.log" >&2
	$(Q)touch $@

vm-check: all $(B)/.deps-test $(B)/.deps-vm $(VM_PREBUILT)
	$(Q)B=$(B) KERNEL=$(KERNEL) tests/vm/run check $(VM_TESTS)

vm-check-all: all $(B)/.deps-test $(B)/.deps-vm $(VM_PREBUILT)
	$(Q)st=0; for k in $(VM_KERNELS); do \
		B=$(B) KERNEL=$$k tests/vm/run check $(VM_TESTS) || st=1; done; exit $$st

vm: all $(B)/.deps-vm
	$(Q)B=$(B) KERNEL=$(KERNEL) tests/vm/run shell

# Everything the VMs need, packed for the three kernels; then `VM_PACKED=1 make
# vm-check` boots an archive as it is (.ci/run: the VMs run beside make check).
vm-pack: all $(B)/.deps-test $(B)/.deps-vm $(VM_PREBUILT)
	$(Q)for k in $(VM_KERNELS); do B=$(B) KERNEL=$$k tests/vm/run pack || exit 1; done

.PHONY: vm vm-check vm-check-all vm-pack

# --- the ELF loader's tests (issue 3): objects built with libbpf's own bpf_helpers.h --
# They must load unchanged.  libbpf-dev is a test-only dependency, so they are built
# after $(B)/.deps-test, for `make check`, not by `make`.
LIBBPF_TEST_OBJ := $(patsubst %.bpf.c,$(B)/%.bpf.o,$(wildcard tests/libbpf/*.bpf.c))
vm-check vm-check-all vm-pack: $(LIBBPF_TEST_OBJ)     # the VM runs their tests too

$(B)/tests/libbpf/%.bpf.o: tests/libbpf/%.bpf.c $(B)/.deps-test
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# core16_*: CO-RE records clang 14 cannot write (ENUM64, type matches): clang 16.
CLANG16 ?= clang-16
$(B)/tests/libbpf/core16_%.bpf.o: tests/libbpf/core16_%.bpf.c $(B)/.deps-test
	$(call say,CLANG16,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG16) $(BPF_CFLAGS) -c $< -o $@

check: $(LIBBPF_TEST_OBJ)

# The CO-RE macro test is one source built both ways (tests/core_macros.c).
$(B)/tests/libbpf/lb_core_macros.bpf.o: tests/bpf/core_macros.bpf.c


# --- hardening (issue 10): fuzzing, sanitizers, valgrind ---------------------------
#   make fuzz FUZZ_SECONDS=600   libFuzzer (clang) over rbpf_object_open_mem, seeded with
#                                every object the project builds; crashes land in
#                                $(B)/fuzz/ (keep each under tests/fuzz/regress/)
#   make fuzz FUZZ_TARGET=text   the same over the verifier log, trace_pipe line and
#                                instruction readers (tests/fuzz/text_fuzz.c)
#   make fuzz FUZZ_TARGET=target the uprobe target reader (tests/fuzz/target_fuzz.c)
#   make check-asan              library, rawbpf, lessons and tests with ASan+UBSan in
#                                $(B)-asan, then the whole suite (leaks checked per test)
#   make check-valgrind          dynamic build in $(B)-vg; valgrind over the loader
#                                tests, rawbpf on every object, and the lessons
# Each runs the suite of its own build dir, so `make check` stays fast.
FUZZ_SECONDS ?= 60
HARD_EMPTY   :=
HARD_SPACE   := $(HARD_EMPTY) $(HARD_EMPTY)
FUZZ_FLAGS   ?=             # e.g. "-fork=1 -ignore_crashes=1": keep going after a crash
FUZZ_DIR     := $(B)/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
                -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Iinclude
FUZZ_TARGET  ?= object
FUZZ_OBJ     := $(LIB_SRC:%.c=$(FUZZ_DIR)/%.o)
# Where each target starts from besides its working corpus ($(B)/fuzz/corpus-NAME,
# kept between runs): the objects built here, and the committed seeds and findings.
# (object_fuzz's minimized corpus, ~600 mutants of ~11 KB, is not committed: it
# grows back from the built objects within minutes.)
FUZZ_SEEDS_object := $(FUZZ_DIR)/seeds tests/fuzz/regress
FUZZ_SEEDS_text   := tests/fuzz/text tests/fuzz/text-regress
FUZZ_SEEDS_target := tests/fuzz/target tests/fuzz/target-regress
SAN_CFLAGS   := -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN)
# abort_on_error: a report kills the process with SIGABRT, which neither a test that
# expects exit status 1 nor one that expects 2 can mistake for its own answer.
SAN_ENV      := ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:abort_on_error=1 \
                LSAN_OPTIONS=abort_on_error=1
VG           := valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
                --errors-for-leak-kinds=definite,indirect,possible --track-fds=yes \
                --error-exitcode=1
# The loader's tests (no lesson, no strace of a child): what valgrind runs the runner on.
# (Not the 2M-record ring buffer race with a small ring: under valgrind the consumer
# is too slow for a record ever to straddle the end, which that test requires.)
VG_TESTS     ?= sys_ load_ elf_ btf_ obj_ ringbuf_2m_records ringbuf_discarded ringbuf_wrong \
                ringbuf_poll perfbuf_ hard_ badinput_

$(B)/.deps-fuzz: $(DEPS)
	$(Q)tests/deps.sh fuzz
	$(Q)touch $@

$(FUZZ_DIR)/%.o: %.c $(wildcard include/*.h loader/*.h tests/fuzz/*.h) $(B)/.deps-fuzz
	$(call say,CLANG,$<)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/%_fuzz: $(FUZZ_DIR)/tests/fuzz/%_fuzz.o $(FUZZ_OBJ)
	$(call say,LD,$@)
	$(Q)$(CLANG) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^

# Seeds: every object built here (copied, since libFuzzer may add files to the first
# directory only), the hand-made cases and every input that once crashed.
fuzz: $(FUZZ_DIR)/$(FUZZ_TARGET)_fuzz $(BPF_OBJ) $(LIBBPF_TEST_OBJ)
	$(Q)mkdir -p $(FUZZ_DIR)/corpus-$(FUZZ_TARGET) $(FUZZ_DIR)/seeds
	$(Q)for f in $(BPF_OBJ) $(LIBBPF_TEST_OBJ); do \
		cp $$f $(FUZZ_DIR)/seeds/$$(echo $$f | tr / _); done
	$(Q)$(FUZZ_DIR)/$(FUZZ_TARGET)_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -dict=tests/fuzz/$(FUZZ_TARGET).dict \
		-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_FLAGS) $(FUZZ_DIR)/corpus-$(FUZZ_TARGET) \
		$(FUZZ_SEEDS_$(FUZZ_TARGET))

# LeakSanitizer cannot run under ptrace, and the tutorial's tests strace lessons
# (the lessons themselves run under ASan in lessons_*); the exercise checkers' wrong
# attempts test the checkers' messages, one edit away from the starts that
# exercise_L_N still builds and runs sanitized here.  Extended regexps, whole names.
ASAN_SKIP    ?= tutorial_.* exercise_wrong_.*
check-asan:
	$(Q)CFLAGS="$(SAN_CFLAGS)" LDFLAGS="$(FUZZ_SAN)" $(MAKE) --no-print-directory \
		B=$(B)-asan all $(B)-asan/.deps-test $(LIBBPF_TEST_OBJ:$(B)/%=$(B)-asan/%)
	$(Q)$(SAN_ENV) CFLAGS="$(SAN_CFLAGS)" LDFLAGS="$(FUZZ_SAN)" B=$(B)-asan tests/run \
		$$($(B)-asan/tests/runner -l | grep -vxE '$(subst $(HARD_SPACE),|,$(strip $(ASAN_SKIP)))')

# The suite many times, alone or beside another BPF user (tests/repeat.sh).
$(NEIGHBOUR): tests/noisy/neighbour.c $(LIB) $(wildcard include/*.h)
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB)

check-repeat: all $(B)/.deps-test $(LIBBPF_TEST_OBJ)
	$(Q)B=$(B) tests/repeat.sh $(or $(RUNS),10)

check-noisy: all $(B)/.deps-test $(LIBBPF_TEST_OBJ) $(NEIGHBOUR)
	$(Q)B=$(B) tests/repeat.sh --noisy $(or $(RUNS),3)

.PHONY: check-repeat check-noisy

# The fault tests at their full length (a 10 s two-CPU ring buffer run).
check-stress: all $(B)/.deps-test
	$(Q)FAULT_SECONDS=10 tests/run fault_

check-valgrind:
	$(Q)CFLAGS="-O1 -g" LDFLAGS= $(MAKE) --no-print-directory B=$(B)-vg all \
		$(B)-vg/.deps-test
	$(Q)B=$(B)-vg VG="$(VG)" tests/hardening-valgrind.sh $(VG_TESTS)

.PHONY: fuzz check-asan check-valgrind check-stress

# --- reading the verifier (issue 6): the catalogue's rows are compiled into the tests
$(B)/tests/verify_cases.o $(B)/tests/vhint.o: $(wildcard asm/*.h)

# --- bench: rawbpf against libbpf (and BCC), printed as ratios (bench/README.md) ----
#   make bench           every workload, interleaved A/B runs, one table
#   make bench QUICK=1   fewer runs and records, for a quick look
#   make bench ONLY=CO-RE,open/parse   only those workloads (names as bench.py prints them)
# libbpf, libelf, zlib and BCC are used here and nowhere else.  The rawbpf side links
# statically against librawbpf.a like a lesson; the libbpf side links -lbpf the way
# Debian's libbpf-dev offers it (plus one static build, for the footprint).
BENCH_C      := -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror
BENCH_RAW    := $(patsubst bench/rawbpf/%.c,$(B)/bench/rawbpf/%,$(wildcard bench/rawbpf/*.c))
BENCH_LIBBPF := $(patsubst bench/libbpf/%.c,$(B)/bench/libbpf/%,$(wildcard bench/libbpf/*.c))
BENCH_TOOLS  := $(B)/bench/spawn $(B)/bench/floor $(B)/bench/nullsys \
                $(B)/bench/libbpf/startup-static \
                $(B)/bench/gen/many.bpf.o

$(B)/.deps-bench: $(DEPS)
	$(Q)tests/deps.sh bench
	$(Q)touch $@

$(B)/bench/rawbpf/%: bench/rawbpf/%.c bench/common.h $(LIB) $(wildcard include/*.h)
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_C) -Iinclude $(LDFLAGS) -o $@ $< $(LIB)

$(B)/bench/libbpf/%: bench/libbpf/%.c bench/common.h | $(B)/.deps-bench
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_C) -o $@ $< -lbpf

$(B)/bench/libbpf/startup-static: bench/libbpf/startup.c bench/common.h | $(B)/.deps-bench
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_C) -static -o $@ $< -lbpf -lelf -lz

$(B)/bench/spawn $(B)/bench/floor $(B)/bench/nullsys: $(B)/bench/%: bench/%.c bench/common.h | $(DEPS)
	$(call say,LD,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_C) -static -o $@ $<

# The open/parse object: 200 programs, 50 maps, generated (not in bench/, so the
# wildcard above does not see it) and compiled with the project's BPF flags.
$(B)/bench/gen/many.bpf.o: bench/gen-many.py $(wildcard include/*.h) | $(B)/.deps-bench
	$(call say,GEN,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)python3 bench/gen-many.py 200 50 > $(B)/bench/gen/many.bpf.c
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $(B)/bench/gen/many.bpf.c -o $@

# A rawbpf binary that does not link yet (its API not landed) is reported as
# "n/a (not yet in rawbpf)" by the table rather than stopping the bench.
bench-build: all $(BENCH_LIBBPF) $(BENCH_TOOLS)
	-$(Q)$(MAKE) --no-print-directory -s -k $(BENCH_RAW)

# Dependencies first, then a fresh make for the build: variables computed when make
# starts (MULTIARCH asks the compiler) must see the compiler deps.sh just installed.
bench:
	$(Q)tests/deps.sh bench
	$(Q)$(MAKE) --no-print-directory bench-build
	$(Q)bench/setup-bcc.sh || echo "bench: BCC cannot run here; its cells will say n/a" >&2
	$(Q)B=$(B) QUICK=$(QUICK) ONLY="$(ONLY)" bench/bench.py

.PHONY: bench bench-build

# --- lessons (issue 5): a lesson's user side also includes progs/lesson.h ----------
$(PROGS): $(wildcard progs/*.h)
