/* Every section name the loader knows: type, expected attach type and target. */
#include "bpf_prog.h"

#define P(sec, name) SEC(sec) int name(void *ctx) { (void)ctx; return 0; }

P("kprobe/do_unlinkat", s_kprobe)
P("kretprobe/do_unlinkat", s_kretprobe)
P("ksyscall/execve", s_ksyscall)
P("tracepoint/syscalls/sys_enter_execve", s_tracepoint)
P("tp/sched/sched_switch", s_tp)
P("raw_tracepoint/sys_enter", s_raw_tracepoint)
P("raw_tp/sched_switch", s_raw_tp)
P("fentry/do_unlinkat", s_fentry)
P("fexit/do_unlinkat", s_fexit)
P("socket", s_socket)
P("xdp", s_xdp)
P("tc", s_tc)
P("perf_event", s_perf_event)

char LICENSE[] SEC("license") = "GPL";
