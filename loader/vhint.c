/*
 * vhint.c -- what a verifier message usually means, said only when it is sure.
 *
 * The verifier explains a rejection in one terse line ("R7 invalid mem access
 * 'scalar'").  The same words have different causes: r7 may be a number the program
 * computed, a pointer field read from the context (a number to the verifier), or a
 * ring buffer record that bpf_ringbuf_submit() already gave back.  A hint keyed on
 * the words alone is wrong for two of the three.  So each entry below holds a
 * substring of the message AND a condition on the state, as followed by vstate.c:
 * whether the named register was killed by a call, where its value came from,
 * whether the failing instruction reads or writes.  The first entry whose
 * substring is in the message (the text after the last instruction row) and whose
 * condition holds wins; specific entries come first.  When no condition can be
 * checked (the state could not be followed), a conditional entry is skipped: no
 * hint is better than a wrong one.
 *
 * Substrings are those every kernel from 5.15 to 6.18 prints; "A|B" accepts either
 * wording, "A&B" wants both (the same words say different things with off=-8).  asm/verifier_cases.h holds, for every entry, a program that gets it,
 * and tests/vhint.c programs with similar text that must not.
 */
#include <stdlib.h>
#include <string.h>

#include "rawbpf.h"
#include "vlog.h"

#define ACCESS "invalid mem access|!read_ok"

static const struct rbpf_hint hints[] = {
	{ "use_after_release", ACCESS, RBPF_WHEN_KILLED,
	  "this pointer was given back by an earlier call (submit, discard or release: see the row "
	  "that says 'released'): it is dead from there on; do every access before that call" },
	{ "packet_moved", ACCESS, RBPF_WHEN_PKT_MOVED,
	  "packet pointers die at a call that may move the packet (bpf_xdp_adjust_head() and the "
	  "like): read ctx->data and ctx->data_end again after it and test the bounds again" },
	{ "null_lookup", "'map_value_or_null'", RBPF_WHEN_ANY,
	  "the pointer from bpf_map_lookup_elem() may be NULL: test it (if (!p) return 0;) before using it" },
	{ "null_ringbuf", "'ringbuf_mem_or_null'|'alloc_mem_or_null'", RBPF_WHEN_RINGBUF,
	  "bpf_ringbuf_reserve() returns NULL when the buffer is full: test it (if (!e) return 0;) before writing" },
	{ "null_socket", "'sock_or_null'|'sock_common_or_null'|'tcp_sock_or_null'", RBPF_WHEN_ANY,
	  "bpf_sk_lookup_*() returns NULL when no socket matches: test it before using or releasing it" },
	{ "null_other", "_or_null'", RBPF_WHEN_ANY,
	  "the pointer may be NULL: test it against 0 before reading or writing through it" },
	{ "arith_on_null", "pointer arithmetic on", RBPF_WHEN_ANY,
	  "no arithmetic on a pointer that may be NULL: test it against 0 first, then add the offset" },
	{ "ctx_field_pointer", "invalid mem access 'scalar'", RBPF_WHEN_CTX_FIELD,
	  "a pointer read from the context (or any struct) is only a number to the verifier: copy "
	  "what it points to with bpf_probe_read_kernel() (or bpf_probe_read_user())" },
	{ "scalar_deref", "invalid mem access 'scalar'", RBPF_WHEN_SCALAR,
	  "a plain number is used as a pointer: only pointers the verifier handed you (ctx, stack, "
	  "map values, packet) may be dereferenced" },
	{ "ctx_as_arg", "type=ctx expected=", RBPF_WHEN_ANY,
	  "the context pointer (the program's argument) went where the helper wants memory it can "
	  "read: pass a pointer to a stack variable or a map value" },
	{ "arg_type", " expected=", RBPF_WHEN_ANY,
	  "a helper got the wrong kind of argument: the message names the register, what it held "
	  "(type=) and what the helper accepts (expected=)" },
	{ "callee_arg", "!read_ok", RBPF_WHEN_CALLEE_ARG,
	  "the function reads an argument its caller did not pass: a BPF-to-BPF call hands over "
	  "r1-r5 as the caller left them; set them before the call" },
	{ "no_return_value", "R0 !read_ok", RBPF_WHEN_EXIT,
	  "the program exits without a return value: set r0 (return something) on every path" },
	{ "uninit_register", "!read_ok", RBPF_WHEN_ALIVE,
	  "a register is read before anything was written to it; remember a call wipes r1-r5" },
	{ "stack_uninit", "invalid read from stack", RBPF_WHEN_ANY,
	  "stack memory is read before it was written: initialise the variable (= {} or __builtin_memset) first" },
	{ "stack_uninit_arg", "invalid indirect read from stack", RBPF_WHEN_ANY,
	  "a helper reads stack memory that was never written: initialise the whole variable you pass (= {})" },
	{ "stack_var_offset", "invalid unbounded variable-offset", RBPF_WHEN_ANY,
	  "an index into a stack array has no bound: compare it with the array's length first "
	  "(if (i >= N) return 0;)" },
	{ "stack_frame", "invalid write to stack", RBPF_WHEN_ANY,
	  "the stack is 512 bytes per function: the offset from r10 must lie within -512..-1" },
	{ "value_past_end", "max value is outside of the allowed memory range", RBPF_WHEN_ANY,
	  "the index can reach past the end of the value (value_size in the message): bound it by "
	  "the number of elements (i < N); a mask (& 15) allows every value up to the mask" },
	{ "value_negative", "off=-&min value is outside of the allowed memory range|"
	  "min value is negative, either use unsigned index", RBPF_WHEN_ANY,
	  "the index may be negative: make it unsigned, or test i >= 0 as well as i < N" },
	{ "value_const_off", "invalid access to map value", RBPF_WHEN_ANY,
	  "the access starts past the end of the map value: offset + size must not pass "
	  "value_size (one element too far?)" },
	{ "size_negative", "min value is negative, either use unsigned or", RBPF_WHEN_ANY,
	  "the size given to the helper may be negative: make it unsigned, or test it (if (len < 0 "
	  "|| len > sizeof(buf)) return 0;)" },
	{ "size_unbounded", "unbounded memory access, use", RBPF_WHEN_ANY,
	  "the size given to the helper has no upper bound: test it against the buffer's size first" },
	{ "index_negative", "unbounded min value", RBPF_WHEN_ANY,
	  "an index that may be negative was added to a pointer: check both ends (if (i < 0 || i >= N) return 0;) first" },
	{ "index_unbounded", "unbounded memory access", RBPF_WHEN_ANY,
	  "the offset has no upper bound: compare it with the size (if (i >= N) return 0;) before the access" },
	{ "ctx_write", "invalid bpf_context access", RBPF_WHEN_STORE,
	  "this program type may not write that context field (most of the context is read-only): "
	  "copy the value into a variable and change that" },
	{ "ctx_read", "invalid bpf_context access", RBPF_WHEN_LOAD,
	  "the context has no field at that offset and size for this program type: look at the "
	  "struct (is off past its end?) and the field's width" },
	{ "ctx_modified", "dereference of modified ctx ptr", RBPF_WHEN_ANY,
	  "the context pointer may only be read at constant offsets from itself: read ctx->field "
	  "directly, do not add to ctx first" },
	{ "packet_short_check", "invalid access to packet|offset is outside of the packet",
	  RBPF_WHEN_PKT_RANGE,
	  "the bounds test proved fewer bytes than this access needs (r= in the state): test "
	  "data + offset + size <= data_end for the last byte you read" },
	{ "packet_unchecked", "invalid access to packet|offset is outside of the packet",
	  RBPF_WHEN_PKT_NO_RANGE,
	  "packet bytes read without a bounds check: test data + offset + size <= data_end first" },
	{ "infinite_loop", "infinite loop detected", RBPF_WHEN_ANY,
	  "the loop comes back to the same state: something must change (a counter) and end it" },
	{ "too_complex", "is too complex",             /* "The sequence of 8193 jumps is too complex." */
	  RBPF_WHEN_ANY,
	  "too many branches are waiting to be checked (a loop with a condition inside): bound the loop tighter, or use bpf_loop()" },
	{ "too_large", "BPF program is too large", RBPF_WHEN_ANY,
	  "the verifier walked a million instructions: bound loops tightly, use bpf_loop(), or split with tail calls" },
	{ "unreachable", "unreachable insn", RBPF_WHEN_ANY,
	  "no path reaches this instruction: a jump offset is wrong, or dead code was left in" },
	{ "jump_range", "jump out of range", RBPF_WHEN_ANY,
	  "a jump lands outside the program: offsets count from the next instruction" },
	{ "stack_chain", "combined stack size", RBPF_WHEN_ANY,
	  "a chain of calls uses more than 512 bytes of stack in total: shrink the locals or use a per-CPU array map as scratch" },
	{ "calls_too_deep", "frames is too deep", RBPF_WHEN_ANY,
	  "BPF-to-BPF calls nest at most 8 deep: fold some functions into their callers (__always_inline)" },
	{ "tail_call_stack", "tail_calls are not allowed when call stack", RBPF_WHEN_ANY,
	  "a tail call from inside a function call keeps the callers' frames: together they may use "
	  "at most 256 bytes of stack; shrink them, or tail call from the main function" },
	{ "return_range", "At program exit the register R0", RBPF_WHEN_ANY,
	  "this program type may return only the values in the message's range (cgroup programs: 1 allow, 0 deny)" },
	{ "map_type", "cannot pass map_type", RBPF_WHEN_ANY,
	  "this helper does not work on that kind of map (the number is the map's type): "
	  "bpf_ringbuf_*() want a ring buffer, bpf_tail_call() a program array" },
	{ "gpl_only", "GPL-restricted", RBPF_WHEN_ANY,
	  "this helper is GPL-only: declare char LICENSE[] SEC(\"license\") = \"GPL\";" },
	{ "helper_unknown", "invalid func unknown#", RBPF_WHEN_ANY,
	  "this kernel has no helper with that number: it is newer than the kernel, or a typo" },
	{ "helper_not_allowed", "unknown func|cannot use helper", RBPF_WHEN_ANY,
	  "this program type may not call that helper: choose another helper or another program type" },
	{ "lock_call", "function calls are not allowed while holding a lock", RBPF_WHEN_ANY,
	  "between bpf_spin_lock() and bpf_spin_unlock() no function may be called: copy what you "
	  "need under the lock, unlock, then call" },
	{ "unreleased", "Unreleased reference|reference leak", RBPF_WHEN_ANY,  /* up to 6.12 | 6.13+ */
	  "something acquired (a ring buffer reservation, a socket lookup, an object from a kfunc) "
	  "is not released on every path: submit/discard/release it before exit" },
};

/* Does text hold one of the '|'-separated alternatives of match, each a list of
 * '&'-separated substrings that must all be there? */
static int has_any(const char *text, const char *match)
{
	char alt[160];

	while (*match) {
		size_t n = strcspn(match, "|");
		char *part, *save = NULL;
		int all = 1;

		if (n < sizeof(alt)) {
			memcpy(alt, match, n);
			alt[n] = 0;
			for (part = strtok_r(alt, "&", &save); part; part = strtok_r(NULL, "&", &save))
				all &= strstr(text, part) != NULL;
			if (all)
				return 1;
		}
		match += n + (match[n] == '|');
	}
	return 0;
}

static int is_number(const char *s)
{
	return !strncmp(s, "scalar", 6) || (*s >= '0' && *s <= '9') || (*s == '-' && s[1] >= '0' && s[1] <= '9');
}

/* The proven packet range (the "r=14" of "pkt(r=14)", or of 6.1's message
 * "R2(id=0,off=0,r=14)"): >= 0, or -1 when neither says. */
static long pkt_range(const struct rbpf_vlog *v)
{
	const char *srcs[2] = { v->fail.state, v->reason };
	int i;

	for (i = 0; i < 2; i++) {
		const char *p = srcs[i];

		while (p && (p = strstr(p, "r=")) != NULL) {
			if (p > srcs[i] && (p[-1] == ',' || p[-1] == '('))
				return strtol(p + 2, NULL, 10);
			p += 2;
		}
	}
	return -1;
}

static int holds(const struct rbpf_vlog *v, enum rbpf_hint_when w)
{
	const struct rbpf_vlog_fail *f = &v->fail;
	int known = f->reg >= 0;

	switch (w) {
	case RBPF_WHEN_ANY:        return 1;
	case RBPF_WHEN_KILLED:     return known && f->killed_at >= 0 && !f->pkt_moved;
	case RBPF_WHEN_PKT_MOVED:  return known && f->killed_at >= 0 && f->pkt_moved;
	case RBPF_WHEN_ALIVE:      return known && f->killed_at < 0 && !f->callee_arg;
	case RBPF_WHEN_SCALAR:     return known && f->killed_at < 0 && is_number(f->state) &&
					  strcmp(f->origin, "ctx");
	case RBPF_WHEN_CTX_FIELD:  return known && f->killed_at < 0 && !strcmp(f->origin, "ctx");
	case RBPF_WHEN_STORE:      return v->last_insn >= 0 && f->store;
	case RBPF_WHEN_LOAD:       return v->last_insn >= 0 && f->load;
	case RBPF_WHEN_CALLEE_ARG: return known && f->callee_arg;
	case RBPF_WHEN_RINGBUF:    return known && !strcmp(f->origin, "bpf_ringbuf_reserve");
	case RBPF_WHEN_PKT_RANGE:  return pkt_range(v) > 0;
	case RBPF_WHEN_PKT_NO_RANGE: return pkt_range(v) == 0 ||
					  (known && !strncmp(f->state, "pkt(", 4) && pkt_range(v) < 0);
	case RBPF_WHEN_EXIT:       return known && f->exit && f->killed_at < 0;
	}
	return 0;
}

const struct rbpf_hint *rbpf_vlog_hint(const struct rbpf_vlog *v)
{
	size_t i;

	if (!v || !v->reason)
		return NULL;
	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (has_any(v->reason, hints[i].match) && holds(v, hints[i].when))
			return &hints[i];
	return NULL;
}

const struct rbpf_hint *rbpf_verifier_hint(const char *log)
{
	const struct rbpf_hint *h;
	struct rbpf_vlog *v;

	if (!log || rbpf_vlog_parse(log, &v) < 0)
		return NULL;
	h = rbpf_vlog_hint(v);
	rbpf_vlog_free(v);
	return h;
}

const struct rbpf_hint *rbpf_verifier_hints(size_t *count)
{
	*count = sizeof(hints) / sizeof(hints[0]);
	return hints;
}
