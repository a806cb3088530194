#!/usr/bin/python3
# startup_bcc.py -- the startup bench with BCC: the chapter's hello world in its
# tracepoint form, writing {pid, tid, comm} to a ring buffer.  BPF() compiles the C
# text with clang at run time and attaches TRACEPOINT_PROBE itself; then, as the C
# sides do: print "attached", run /bin/true, wait for its event, print it, exit.
import os
from bcc import BPF

TEXT = r"""
struct start_event { u32 pid; u32 tid; char comm[16]; };
BPF_RINGBUF_OUTPUT(events, 64);

TRACEPOINT_PROBE(syscalls, sys_enter_execve)
{
    struct start_event *e = events.ringbuf_reserve(sizeof(*e));
    u64 id = bpf_get_current_pid_tgid();

    if (!e)
        return 0;
    e->pid = id >> 32;
    e->tid = (u32)id;
    bpf_get_current_comm(e->comm, sizeof(e->comm));
    events.ringbuf_submit(e, 0);
    return 0;
}
"""

def hwm_kb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1

b = BPF(text=TEXT)
child = 0
seen = False

def on_event(ctx, data, size):
    global seen
    e = b["events"].event(data)
    if e.pid == child:
        print("event pid=%d tid=%d comm=%s" % (e.pid, e.tid, e.comm.decode()), flush=True)
        seen = True

b["events"].open_ring_buffer(on_event)
print("attached", flush=True)
child = os.fork()
if child == 0:
    os.execv("/bin/true", ["true"])
while not seen:
    b.ring_buffer_poll(1000)
os.waitpid(child, 0)
print("hwm_kb %d" % hwm_kb(), flush=True)
