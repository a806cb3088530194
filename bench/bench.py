#!/usr/bin/env python3
# bench.py -- run every workload with rawbpf and with libbpf (and BCC for startup),
# interleaved A/B/A/B, and print one table of medians (min..max) and ratios.
#
#     B=build QUICK= bench/bench.py      (make bench runs it after building)
#     B=build ONLY="open/parse,CO-RE" bench/bench.py     (only those workloads)
#
# Every measurement is taken by a small C program (bench/rawbpf/*, bench/libbpf/*,
# bench/spawn, bench/floor) that prints "name value" lines; this script only runs
# them in turn, collects the values and does the arithmetic.  A program that exits
# non-zero (a record lost, a wrong sum, a failed load) stops the bench: a figure is
# only printed when its run checked out.  A rawbpf binary that is not built (its API
# has not landed) gives "n/a (not yet in rawbpf)".
#
# How each figure is measured is in bench/README.md.
import os
import platform
import statistics
import subprocess
import sys
import time

B = os.environ.get("B", "build")
QUICK = os.environ.get("QUICK", "") not in ("", "0")
BIN = B + "/bench"

N_START = 5 if QUICK else 31          # startup runs per side (>= 20 asked)
N_BCC = 3 if QUICK else 11            # BCC is slow (~0.3 s a run) and only a reference
N_RUNS = 3 if QUICK else 11           # runs per side for the other workloads
RECORDS = 200000 if QUICK else 2000000
RECORDS_EACH = 20000 if QUICK else 100000   # perf wake-up per record: ~6 us each
REPS = 3 if QUICK else 5              # fill+drain cycles per drain run (it reports the median)
WALK = 100000
WALK_BATCH = 4096
OPEN_K = 10 if QUICK else 20          # open+close per run (the run reports the median)
SETTLE_START = 0.1                    # seconds of quiet before each run (see interleave)
SETTLE_DRAIN = 0.2 if QUICK else 0.5

NA = "n/a (not yet in rawbpf)"
FLOOR = "floor"     # a row measured once, for both sides: its value sits under rawbpf


def run(cmd):
    """Run one measurement; its "name value" lines as a dict.  Stops on failure."""
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("bench: %s failed (exit %d):\n%s%s" % (" ".join(cmd), p.returncode,
                                                        p.stdout, p.stderr))
    out = {}
    for line in p.stdout.splitlines():
        f = line.split()
        if len(f) == 2 and f[1].replace(".", "", 1).lstrip("-").isdigit():
            out[f[0]] = float(f[1])
    return out


def spawn(cmd):
    """Time one startup program through bench/spawn: ms to attached, to the event,
    to exit, and its peak RSS in MiB."""
    p = subprocess.run([BIN + "/spawn"] + cmd, stdout=subprocess.PIPE, text=True)
    att, ev, ex, hwm, status, cpu = p.stdout.split()
    if int(status) != 0 or float(att) < 0 or float(ev) < 0:
        sys.exit("bench: %s: exit %s, attached %s, event %s" % (" ".join(cmd), status, att, ev))
    return {"attached": float(att) / 1e3, "event": float(ev) / 1e3,
            "exit": float(ex) / 1e3, "rss": float(hwm) / 1024, "cpu": float(cpu) / 1e3}


def interleave(n, sides, settle):
    """sides: {name: callable or None}.  Runs them in turn, n rounds: A B A B ...,
    each round starting one side further on (A B C, B C A, C A B) so that no side
    always follows the same one, and sleeps `settle` seconds before every run: a
    process that used BPF leaves work behind it (RCU callbacks freeing its programs,
    maps and perf rings, hundreds of MiB for the drains) that must not land in the
    next side's sample.  Returns {name: [result dict per round]} (None for a side
    that cannot run)."""
    res = {name: ([] if f else None) for name, f in sides.items()}
    names = [name for name, f in sides.items() if f]
    for r in range(n):
        for i in range(len(names)):
            name = names[(r + i) % len(names)]
            time.sleep(settle)
            res[name].append(sides[name]())
    return res


def have(path):
    return os.access(path, os.X_OK)


def cell(values, fmt):
    if values == FLOOR:
        return "(same for both)"
    if values is None:
        return NA
    if not values:
        return "-"
    if len(values) == 1:
        return fmt % values[0]
    return "%s (%s..%s)" % (fmt % statistics.median(values), fmt % min(values),
                            fmt % max(values))


ROWS = []   # (workload, unit, rawbpf values, libbpf values, bcc values, fmt, target)


def row(name, unit, raw, lib, bcc=None, fmt="%.2f", target=None):
    ROWS.append((name, unit, raw, lib, bcc, fmt, target))


def col(results, key):
    """The list of one metric over the rounds, or None when the side could not run."""
    return None if results is None else [r[key] for r in results]


def verdict(ratio, target):
    if target is None or ratio is None:
        return ""
    if ratio <= 0:
        return "unclear: noise above the floor (<= %.1fx)" % target
    return ("met" if ratio <= target else "MISSED") + " (<= %.1fx)" % target


def bench_startup():
    obj = BIN + "/startup.bpf.o"
    raw = BIN + "/rawbpf/startup"
    sides = {
        "rawbpf": (lambda: spawn([raw, obj])) if have(raw) else None,
        "libbpf": lambda: spawn([BIN + "/libbpf/startup", obj]),
        "floor": lambda: spawn([BIN + "/floor"]),
    }
    r = interleave(N_START, sides, SETTLE_START)
    bcc = None
    if subprocess.run(["/usr/bin/python3", "-c", "import bcc"],
                      stderr=subprocess.DEVNULL).returncode == 0:
        bcc = interleave(N_BCC, {"bcc": lambda: spawn(["/usr/bin/python3",
                                                       "bench/startup_bcc.py"])},
                         SETTLE_START)["bcc"]
    floor = col(r["floor"], "attached")

    def share(side):   # per round: this side's time to attached minus the floor's
        if side is None:
            return None
        return [s["attached"] - f for s, f in zip(side, floor)]

    bcc_share = None if bcc is None else [b["attached"] - statistics.median(floor) for b in bcc]
    row("startup: fork -> attached", "ms", col(r["rawbpf"], "attached"),
        col(r["libbpf"], "attached"), col(bcc, "attached"))
    row("startup: BPF share (attached - floor)", "ms", share(r["rawbpf"]), share(r["libbpf"]),
        bcc_share, target=0.5)
    def best(side):    # the quietest run of this side against the quietest floor
        return None if side is None else [min(col(side, "attached")) - min(floor)]

    row("startup: BPF share, best runs (min - min floor)", "ms", best(r["rawbpf"]),
        best(r["libbpf"]), None if bcc is None else [min(col(bcc, "attached")) - min(floor)],
        target=0.5)
    row("startup: fork -> event printed", "ms", col(r["rawbpf"], "event"),
        col(r["libbpf"], "event"))
    row("startup: whole process", "ms", col(r["rawbpf"], "exit"), col(r["libbpf"], "exit"))
    row("startup: peak RSS", "MiB", col(r["rawbpf"], "rss"), col(r["libbpf"], "rss"),
        col(bcc, "rss"))
    row("startup floor, no BPF: fork -> attached", "ms", floor, FLOOR)
    row("startup floor, no BPF: whole process", "ms", col(r["floor"], "exit"), FLOOR)


def drain_sides(kind, size, n, wake, reps):
    obj = BIN + "/drain.bpf.o"
    args = [obj, kind, str(size), str(n), wake, str(reps)]
    raw = BIN + "/rawbpf/drain"
    return {"rawbpf": (lambda: run([raw] + args)) if have(raw) else None,
            "libbpf": lambda: run([BIN + "/libbpf/drain"] + args)}


def bench_drain():
    for size, target in ((16, 0.5), (64, 0.5)):
        r = interleave(N_RUNS, drain_sides("ring", size, RECORDS, "default", REPS), SETTLE_DRAIN)
        row("ring buffer drain, %d-byte records" % size, "ns/rec",
            col(r["rawbpf"], "drain_ns"), col(r["libbpf"], "drain_ns"), target=target)
        if size == 16:
            row("  for scale: ring buffer producer (reserve+submit)", "ns/rec",
                col(r["rawbpf"], "produce_ns"), col(r["libbpf"], "produce_ns"), fmt="%.0f")
    for size in (16, 64):
        r = interleave(N_RUNS, drain_sides("perf", size, RECORDS, "watermark", REPS), SETTLE_DRAIN)
        row("perf buffer drain, %d-byte records" % size, "ns/rec",
            col(r["rawbpf"], "drain_ns"), col(r["libbpf"], "drain_ns"), target=0.8)
        if size == 16:
            row("perf producer, watermark wake-ups (both)", "ns/rec",
                col(r["rawbpf"], "produce_ns"), col(r["libbpf"], "produce_ns"), fmt="%.0f")
    r = interleave(N_RUNS, drain_sides("perf", 16, RECORDS_EACH, "default", 1), SETTLE_DRAIN)
    row("perf producer, each side's default wake-ups", "ns/rec",
        col(r["rawbpf"], "produce_ns"), col(r["libbpf"], "produce_ns"), fmt="%.0f")
    r = interleave(N_RUNS, drain_sides("perf", 16, RECORDS_EACH, "each", 1), SETTLE_DRAIN)
    row("perf producer, a wake-up per record (both)", "ns/rec",
        col(r["rawbpf"], "produce_ns"), col(r["libbpf"], "produce_ns"), fmt="%.0f")


def bench_mapwalk():
    args = [str(WALK), str(WALK_BATCH), str(REPS)]
    raw = BIN + "/rawbpf/mapwalk"
    r = interleave(N_RUNS, {"rawbpf": (lambda: run([raw] + args)) if have(raw) else None,
                            "libbpf": lambda: run([BIN + "/libbpf/mapwalk"] + args)},
                   SETTLE_START)
    row("map walk %dk: GET_NEXT_KEY + LOOKUP" % (WALK // 1000), "ns/entry",
        col(r["rawbpf"], "next_lookup_ns"), col(r["libbpf"], "next_lookup_ns"),
        fmt="%.0f", target=1.0)
    row("map walk %dk: LOOKUP_BATCH (%d)" % (WALK // 1000, WALK_BATCH), "ns/entry",
        col(r["rawbpf"], "batch_ns"), col(r["libbpf"], "batch_ns"), fmt="%.0f", target=1.0)
    sys_ = interleave(N_RUNS, {"nullsys": lambda: run([BIN + "/nullsys", "20000"])},
                      0)["nullsys"]
    row("  for scale: one null system call (getppid)", "ns", col(sys_, "nullsys_ns"), FLOOR,
        fmt="%.0f")


def timed(cmd):
    """Wall time of a whole command, stdout to /dev/null, in ms."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), p.stderr))
    return {"ms": (time.perf_counter() - t0) * 1e3}


def bpf_calls(cmd):
    """How many bpf() system calls cmd makes (strace -c), or None without strace."""
    p = subprocess.run(["strace", "-f", "-c", "-e", "trace=bpf", "-o", "/dev/stderr"] + cmd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in p.stderr.splitlines():
        f = line.split()
        if f and f[-1] == "bpf":
            return int(f[3])
    return None


NOTES = []   # lines printed under the table


def bench_dump():
    """`rawbpf map dump ID` against bpftool (libbpf inside) on one pinned map."""
    pin = "/sys/fs/bpf/rawbpf_bench_dump"
    if os.path.exists(pin):
        os.unlink(pin)
    mid = str(int(run([BIN + "/libbpf/mapfill", str(WALK), pin])["map_id"]))
    try:
        raw = [B + "/rawbpf", "map", "dump", mid]
        lib = ["bpftool", "map", "dump", "pinned", pin]
        r = interleave(N_RUNS, {"rawbpf": lambda: timed(raw), "libbpf": lambda: timed(lib)},
                       SETTLE_START)
        row("map dump %dk: rawbpf map dump vs bpftool" % (WALK // 1000), "ms",
            col(r["rawbpf"], "ms"), col(r["libbpf"], "ms"), fmt="%.0f")
        NOTES.append("map dump of %d entries: rawbpf makes %s bpf() calls, bpftool %s "
                     "(strace -c)" % (WALK, bpf_calls(raw), bpf_calls(lib)))
    finally:
        os.unlink(pin)


def bench_open():
    args = [BIN + "/gen/many.bpf.o", str(OPEN_K), "200", "50"]
    raw = BIN + "/rawbpf/open"
    r = interleave(N_RUNS, {"rawbpf": (lambda: run([raw] + args)) if have(raw) else None,
                            "libbpf": lambda: run([BIN + "/libbpf/open"] + args)},
                   SETTLE_START)
    row("open+parse, 200 programs / 50 maps", "us", col(r["rawbpf"], "open_us"),
        col(r["libbpf"], "open_us"), fmt="%.0f")


def core_rows(obj, what):
    """fork -> every program of OBJ loaded, peak RSS and CPU time, both sides
    interleaved; the kernel floor is the same instructions loaded again by bare
    BPF_PROG_LOADs (rawbpf's coreload measures it after its own run)."""
    raw = BIN + "/rawbpf/coreload"
    sides = {"rawbpf": (lambda: spawn([raw, obj, "4"])) if have(raw) else None,
             "libbpf": lambda: spawn([BIN + "/libbpf/coreload", obj, "4"])}
    r = interleave(N_START, sides, SETTLE_START)
    floor = [run([raw, obj, "4"])["kernel_us"] / 1e3 for _ in range(N_RUNS)] if have(raw) else []
    row("CO-RE load%s: fork -> loaded" % what, "ms", col(r["rawbpf"], "attached"),
        col(r["libbpf"], "attached"), target=0.5)
    row("CO-RE load%s: peak RSS" % what, "MiB", col(r["rawbpf"], "rss"),
        col(r["libbpf"], "rss"), target=0.3)
    row("CO-RE load%s: CPU time to loaded (user+sys)" % what, "ms", col(r["rawbpf"], "cpu"),
        col(r["libbpf"], "cpu"))
    if floor:
        row("CO-RE load%s: kernel floor (bare BPF_PROG_LOADs)" % what, "ms", floor, FLOOR)
        f = statistics.median(floor)
        row("CO-RE load%s: loader share (loaded - floor)" % what, "ms",
            [x - f for x in col(r["rawbpf"], "attached")],
            [x - f for x in col(r["libbpf"], "attached")])


def bench_core():
    """CO-RE, tp_btf: build/bench/core.bpf.o, 4 tp_btf programs reading task_struct by
    direct loads through trusted pointers, 88 relocations, 2 maps."""
    core_rows(BIN + "/core.bpf.o", " (tp_btf, 88 relos)")


def bench_core_probe():
    """CO-RE, tracepoints: build/bench/core_probe.bpf.o, the same fields read with
    BPF_CORE_READ's probe reads from 4 tracepoints (libbpf-tools' other shape)."""
    core_rows(BIN + "/core_probe.bpf.o", " (tracepoints + BPF_CORE_READ)")


def stripped_size(path):
    tmp = B + "/bench/stripped.tmp"
    subprocess.run(["strip", "-o", tmp, path], check=True)
    size = os.path.getsize(tmp)
    os.unlink(tmp)
    return size


def shared_objects(path):
    """The shared objects ldd names (none for a static binary), vdso left out."""
    p = subprocess.run(["ldd", path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    libs = []
    for line in p.stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        if ".so" in name and "vdso" not in name:
            libs.append(os.path.basename(name))
    return libs


def footprint():
    pairs = [("the command: rawbpf vs bpftool", B + "/rawbpf", "/usr/sbin/bpftool"),
             ("startup program (a lesson's shape)", BIN + "/rawbpf/startup",
              BIN + "/libbpf/startup"),
             ("startup program, both static", BIN + "/rawbpf/startup",
              BIN + "/libbpf/startup-static")]
    lines = []
    for what, raw, lib in pairs:
        if not have(raw) or not os.path.exists(lib):
            lines.append("  %-36s %s" % (what, NA if not have(raw) else "n/a"))
            continue
        rs, ls = stripped_size(raw), stripped_size(lib)
        rl, ll = shared_objects(raw), shared_objects(lib)
        lines.append("  %-36s %7.0f KiB, needs %-30s | %7.0f KiB, needs %s   ratio %.2f"
                     % (what, rs / 1024, ", ".join(rl) or "nothing (static)", ls / 1024,
                        ", ".join(ll) or "nothing (static)", rs / ls))
    return lines


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ver = subprocess.run(["dpkg-query", "-W", "-f", "${Version} ", "libbpf1", "python3-bpfcc"],
                         stdout=subprocess.PIPE, text=True).stdout.split()
    return "machine: Linux %s, %d CPUs (%s); libbpf %s, BCC %s%s" % (
        platform.release(), os.cpu_count(), cpu, ver[0] if ver else "?",
        ver[1] if len(ver) > 1 else "?", "; QUICK" if QUICK else "")


def table():
    head = ("workload", "unit", "rawbpf", "libbpf", "BCC", "rawbpf/libbpf (medians)",
            "target")
    out = []
    for name, unit, raw, lib, bcc, fmt, target in ROWS:
        ratio = None
        if raw and lib and lib != FLOOR:
            ratio = statistics.median(raw) / statistics.median(lib)
        rcell = "-"
        if ratio is not None:
            rcell = "%.2fx (min %.2fx)" % (ratio, min(raw) / min(lib))
        out.append((name, unit, cell(raw, fmt), cell(lib, fmt), "" if bcc is None else
                    cell(bcc, fmt), rcell, verdict(ratio, target)))
    w = [max(len(r[i]) for r in out + [head]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip() for r in [head] + out]
    lines.insert(1, "-" * len(lines[0]))
    return lines


def prioritise():
    """Run the bench (and so every measured process) at nice -20 when allowed: on a
    shared two-CPU machine other work otherwise lands in the middle of a sample."""
    try:
        os.nice(-20)
        return "nice -20"
    except OSError:
        return "nice 0"


def main():
    prio = prioritise()
    load0 = os.getloadavg()[0]
    steps = [("startup", bench_startup), ("drain", bench_drain), ("map walk", bench_mapwalk),
             ("map dump", bench_dump),
             ("open/parse", bench_open), ("CO-RE", bench_core),
             ("CO-RE probe reads", bench_core_probe)]
    only = [w.strip() for w in os.environ.get("ONLY", "").split(",") if w.strip()]
    for name, f in steps:
        if only and name not in only:
            continue
        print("bench: %s ..." % name, file=sys.stderr, flush=True)
        f()
    lines = [machine() + "; %s, load average %.1f at start, %.1f at end"
             % (prio, load0, os.getloadavg()[0]),
             "each cell: median (min..max); startup %d runs per side (BCC %d), others %d; "
             "sides interleaved, order rotated each round, %.1f s (drains %.1f s) of quiet "
             "before each run" % (N_START, N_BCC, N_RUNS, SETTLE_START, SETTLE_DRAIN),
             "records per drain: %d, %d fill+drain cycles per run, the run's median kept "
             "(wake-up rows: %d records, one cycle)" % (RECORDS, REPS, RECORDS_EACH),
             ""] + table() + ["", "footprint (stripped size, shared objects from ldd):"]
    lines += footprint()
    lines += [""] + NOTES if NOTES else []
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    with open(BIN + "/results.txt", "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
