/* tests/bpf/core_macros.bpf.c built with libbpf's bpf_helpers.h and bpf_core_read.h
 * (Debian's libbpf-dev, a test-only dependency): the relocation records clang writes
 * for libbpf's macros, to compare with ours (tests/core_macros.c). */
#define RB_WITH_LIBBPF
#include "../bpf/core_macros.bpf.c"
