/*
 * tutorial_twins.h -- the lines of the lessons that another kernel prints otherwise.
 *
 * A lesson shows the output of this machine (6.18, no kprobes).  Where the lab VM
 * (kprobes) or an older kernel (5.10: the verifier's older wording, every live
 * register, task_struct's state before its rename) prints a line differently, the
 * pair below says how: tests/tutorial.c's matcher takes either form.  A block marked
 * "<!-- kernel: 6.18 -->" (lesson 7) is loosened on other kernels first (loosen()):
 * its twins here are keyed by the loosened line.  Included by tests/tutorial.c only.
 */
#ifndef TUTORIAL_TWINS_H
#define TUTORIAL_TWINS_H

/* Lines that differ by kernel or machine: the first is this machine's (no kprobes),
 * as the lesson shows it, the second the lab VM's or an older kernel's ("": the line
 * is not there at all; "{...}" as above, in either). */
static const char *const KERNEL_LINES[][2] = {
	{ "this kernel has no kprobes: using the tracepoint syscalls/sys_enter_execve", "" },
	{ "attach: kprobe __x64_sys_execve: this kernel has no kprobes (no /sys/bus/event_source/"
	  "devices/kprobe, no kprobe_events in tracefs: built without CONFIG_KPROBE_EVENTS); "
	  "attach a tracepoint instead", "" },
	{ "falling back to the tracepoint syscalls/sys_enter_execve (same moment, same program)",
	  "" },
	{ "verifier: accepted 11 instructions as a tracepoint program (processed 10 insns)", "" },
	/* nobody with CAP_BPF+CAP_PERFMON (lessons 3, 4): no tracefs here; in the lab VM,
	 * Debian's perf_event_paranoid patch refuses the kprobe's perf event first */
	{ "no tracepoint without tracefs, which is root's: using the raw tracepoint sys_enter, "
	  "filtered on execve", "perf_event_open refused (kernel.perf_event_paranoid={...}; "
	  "above 2, Debian's and Ubuntu's kernels want CAP_SYS_ADMIN): using the raw "
	  "tracepoint sys_enter, filtered on execve" },
	/* lesson 8: the JIT's bytes, disassembled by objdump here, raw where it is missing */
	{ "   0:\t0f 1f 44 00 00       \tnopl   0x0(%rax,%rax,1)", "0f 1f 44 00 00{...}" },
	/* lesson 11: tc egress counts need tcx links (6.6); the lab VM runs 6.1 */
	{ "tc: count_egress on veth1, egress: each frame veth1 sends",
	  "tc: no egress count on this kernel (tcx links need Linux 6.6+)" },
	{ "total out (tc):  arp 1  icmp 3", "total out (tc):  not counted before Linux 6.6" },
	{ "total out (tc):  arp 1", "total out (tc):  not counted before Linux 6.6" },
	{ "attached: tracepoint syscalls/sys_enter_execve", "attached: kprobe on __x64_sys_execve" },
	/* lesson 7 (a 6.18 block, loosened on other kernels first): 5.10's raw log writes
	 * the state on a line of its own before each instruction, none after it */
	{ "0: (61) r1 = *(u32 *)(r1 +16)         ; {...}", "0: (61) r1 = *(u32 *)(r1 +16)" },
	{ "6: (85) call bpf_map_lookup_elem#1    ; {...}",
	  "6: (85) call bpf_map_lookup_elem#1\n7: R0{...}=map_value_or_null({...}" },
	/* ... before 5.18 the verifier called a scalar 'inv' */
	{ "    kernel: R1 invalid mem access 'scalar'", "    kernel: R1 invalid mem access 'inv'" },
	{ "    kernel: R2 invalid mem access 'scalar'", "    kernel: R2 invalid mem access 'inv'" },
	{ "    kernel: R7 invalid mem access 'scalar'", "    kernel: R7 invalid mem access 'inv'" },
	{ "R{...} invalid mem access 'scalar'", "R{...} invalid mem access 'inv'" },
	/* ... and 5.10's level-2 log has no "from 9 to 15" line */
	{ "                                     | -- from 9 to 15 --                       |{...}", "" },
	/* lessons 8, 9: before 5.14 (Debian 11's 5.10) task_struct's state was not yet
	 * __state: the old flavour's rows resolve, the new one's is absent */
	{ "\t'__state' type_id={...} bits_offset={...}", "\t'state' type_id={...} bits_offset={...}" },
	{ "    18  field exists       task_struct___pre514->state                   1            0",
	  "    18  field exists       task_struct___pre514->state                   1            1" },
	{ "    20  field byte offset  task_struct___pre514->state                   0       absent",
	  "    20  field byte offset  task_struct___pre514->state                   0 {...}" },
	{ "  insn 20, this kernel: task_struct [{...}] has no member 'state'; it has '__state', "
	  "renamed?", "  insn 22, this kernel: task_struct [{...}] has no member '__state'; it has "
	  "'state', renamed?" },
	{ "  18: (b7) r1 = 1    ; CO-RE field exists task_struct___pre514->state: 1, here 0",
	  "  18: (b7) r1 = 1    ; CO-RE field exists task_struct___pre514->state: 1, here 1" },
	{ "    18  task_struct___pre514->state    field exists            1      0",
	  "    18  task_struct___pre514->state    field exists            1      1" },
	{ "    20  task_struct___pre514->state    field byte offset       0 absent",
	  "    20  task_struct___pre514->state    field byte offset       0 {...}" },
};

/* Is release r another kernel than the block's "<!-- kernel: X.Y -->" says? */
static int other_kernel(const char *r)
{
	size_t n = strlen(block_kernel);

	return n && !(strncmp(r, block_kernel, n) == 0 && !isdigit((unsigned char)r[n]));
}

/* A line of a block showing one kernel's verifier, as a pattern for another kernel:
 * its states (and counts) become holes, its instructions and source stay. */
static void loosen(const char *p, char *out, size_t size)
{
	const char *cut = NULL, *q;
	size_t o = 0, len = strlen(p);
	int insn = 0;

	if (len >= 81 && p[37] == '|' && p[80] == '|')
		cut = p + 81, insn = 1;                  /* a table row: SOURCE | INSN | STATE */
	else if ((q = strstr(p, " ; ")))
		cut = q + 3, insn = 1;                   /* raw: N: (op) insn ; state */
	else if ((q = strstr(p, " @ ")) && p[0] == ';')
		cut = q;                                 /* raw: ; source @ file:line (6.18) */
	else if ((q = strstr(p, "what changed: ")))
		cut = q + 14;                            /* a folded loop's changes */
	else if ((q = strstr(p, ": R")) && strspn(p, "0123456789") == (size_t)(q - p))
		cut = q + 2, insn = 1;                   /* raw: N: R1=... (a state) */
	for (q = p; *q && q != cut && o + 6 < size; ) {
		if (!insn && isdigit((unsigned char)*q)) {
			o += snprintf(out + o, size - o, "{...}");
			q += strspn(q, "0123456789");
			continue;
		}
		out[o++] = *q++;
	}
	strcpy(out + o, cut && o + 6 < size ? "{...}" : "");
}

#endif
