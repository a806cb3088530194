/*
 * tutorial_twins.h -- the lines of the lessons that another kernel prints otherwise.
 *
 * A lesson shows the output of this machine (6.18, no kprobes).  Where the lab VM
 * (kprobes) or an older kernel (5.10: the verifier's older wording, every live
 * register, task_struct's state before its rename) prints a line differently, the
 * pair below says how: tests/tutorial.c's matcher takes either form.  Included by
 * tests/tutorial.c only; kept apart so that the matcher's file stays about matching.
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
	/* lesson 7's accepted view: 5.10 lists every live register, R1 first */
	{ "  21: int index_bounds(struct xdp_m~ |    0: r2 = 0                             | R2{...}=0",
	  "  21: int index_bounds(struct xdp_m~ |    0: r2 = 0                             | R1=ctx({...}) R2_w=inv0 R10=fp0" },
	{ "  26: if (!s || i >= 16)           ~ |    2: r6 = *(u32 *)(r1 +16)              | R1=ctx({...}) R6{...}",
	  "  26: if (!s || i >= 16)           ~ |    2: r6 = *(u32 *)(r1 +16)              | R1=ctx({...}) R2_w=inv0 R6_w=inv({...}) R10=fp0 fp-8=0000????" },
	{ "                                     |    3: r2 = r10                           | {...}R2{...}=fp0 R10=fp0{...}",
	  "                                     |    3: r2 = r10                           | R1=ctx({...}) R2_w=fp0 R6_w=inv({...}) R10=fp0 fp-8=0000????" },
	/* lesson 7's raw log: 5.10 writes the state on a line of its own before each
	 * instruction, none after it */
	{ "0: (61) r1 = *(u32 *)(r1 +16)         ; R1{...}=scalar({...})",
	  "0: (61) r1 = *(u32 *)(r1 +16)" },
	{ "6: (85) call bpf_map_lookup_elem#1    ; R0{...}=map_value_or_null(id=1,{...}ks=4,vs=8{...})",
	  "6: (85) call bpf_map_lookup_elem#1\n"
	  "7: R0{...}=map_value_or_null(id=1,{...}ks=4,vs=8{...}) R10=fp0 fp-8=mmmm????" },
	/* lesson 7's catalogue rows: before 5.18 the verifier called a scalar 'inv' */
	{ "    kernel: R1 invalid mem access 'scalar'", "    kernel: R1 invalid mem access 'inv'" },
	{ "    kernel: R2 invalid mem access 'scalar'", "    kernel: R2 invalid mem access 'inv'" },
	{ "    kernel: R7 invalid mem access 'scalar'", "    kernel: R7 invalid mem access 'inv'" },
	/* lesson 7's released pointer on 5.10: the record is 'mem', every live register */
	{ "  33: bpf_ringbuf_submit(e, 0);      |   10: r1 = r7                            | R1{...}_mem({...}ref_obj_id=2{...}) R7{...}_mem({...}ref_obj_id=2{...}) refs=2",
	  "  33: bpf_ringbuf_submit(e, 0);      |   10: r1 = r7                            | R0_w=mem({...}ref_obj_id=2{...}) R1_w=mem({...}ref_obj_id=2{...}) R6_w=ctx({...}) R7_w=mem({...}ref_obj_id=2{...}) R10=fp0 refs=2" },
	{ "                                     |   12: call bpf_ringbuf_submit#132        | << R1 R7 released ({...}_mem({...}ref_obj_id=2{...})): dead from here",
	  "                                     |   12: call bpf_ringbuf_submit#132        | {...}<< R1 R7 released (mem({...}ref_obj_id=2{...})): dead from here" },
	{ "R7 invalid mem access 'scalar'",
	  "R7 invalid mem access 'inv'" },
	/* lesson 7's fold on 5.10: the rounds folded start one earlier, the counter is 'inv' */
	{ "  ... these {...} rows repeated {...} more times ({...} rows folded); what changed: {...}R7 2 -> 16{...} (--all shows them)",
	  "  ... these {...} rows repeated {...} more times ({...} rows folded); what changed: {...}R7 inv1 -> inv15{...} (--all shows them)" },
	/* lesson 7: 5.10's level-2 log has no "from 9 to 15" line */
	{ "                                     | -- from 9 to 15 --                       | "
	  "R0=map_value({...}) R6{...}umin{...}=16,{...}) R10=fp0 fp-8={...}", "" },
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

#endif
