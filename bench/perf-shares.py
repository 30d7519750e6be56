#!/usr/bin/env python3
"""CPU µs per request from bench/perf-profile.py's output.

usage: bench/perf-shares.py OUT_DIR [PATTERN...]
  From perf.data (perf record -F 1999): the request threads' self time split into kernel and user
  objects, and the top kernel symbols. From ap.collapsed (async-profiler, a sample per 500 µs of CPU),
  if present: CPU by thread kind, and for each PATTERN (a regular expression over a stack's frames,
  e.g. 'HttpOutput.flush' or '_\\[k\\]' for kernel frames) the request threads' inclusive time.
  Request counts are those summary.txt recorded for each run. Request threads are the ones named
  wsgi4j-N (ours), bench-N (raw Jetty) or uwsgi.
"""
import collections, os, re, subprocess, sys

REQUEST_THREADS = ("wsgi4j", "bench", "uwsgi")


def kind(thread):
    return re.sub(r"[-_ #]?\d+$", "", thread.strip())


def requests(out, run):
    return int(re.search(rf"{run} run (\d+) requests", open(f"{out}/summary.txt").read()).group(1))


def perf(out, top=20):
    n = requests(out, "perf")
    script = subprocess.run(["perf", "script", "-i", f"{out}/perf.data", "-F", "comm,ip,sym,dso", "--hide-call-graph"],
                            capture_output=True, text=True).stdout
    threads, objects, kernel = collections.Counter(), collections.Counter(), collections.Counter()
    for line in script.splitlines():
        m = re.match(r"\s*(.+?)\s+[0-9a-f]+\s+(.*)\((.*)\)\s*$", line)
        if not m:
            continue
        comm, sym, dso = m.groups()
        threads[kind(comm)] += 1
        if kind(comm) not in REQUEST_THREADS:
            continue
        if "kernel" in dso:
            objects["kernel"] += 1
            kernel[re.sub(r"\+0x[0-9a-f]+$", "", sym.strip())] += 1
        else:
            name = os.path.basename(dso)
            objects["user: " + ("JIT-compiled Java" if name.startswith("perf-") else name)] += 1
    us = lambda c: c / 1999 * 1e6 / n
    print(f"perf: {n} requests; CPU µs per request by thread kind: "
          + ", ".join(f"{k} {us(c):.0f}" for k, c in threads.most_common(5)))
    for k, c in objects.most_common(8):
        print(f"  {us(c):7.1f}  {k}")
    for k, c in kernel.most_common(top):
        print(f"  {us(c):7.1f}    kernel {k}")


def collapsed(out, patterns):
    n = requests(out, "async-profiler")
    threads, inclusive, total = collections.Counter(), collections.Counter(), 0
    for line in open(f"{out}/ap.collapsed"):
        stack, count = line.rstrip().rsplit(" ", 1)
        count = int(count)
        first = stack.split(";", 1)[0]
        m = re.match(r"\[(.*?)( tid=\d+)?\]", first)
        k = kind(m.group(1) if m else first)
        threads[k] += count
        if k in REQUEST_THREADS:
            total += count
            for p in patterns:
                if re.search(p, stack):
                    inclusive[p] += count
    us = lambda c: c * 500 / n
    print(f"async-profiler: {n} requests; CPU µs per request by thread kind:")
    for k, c in threads.most_common(8):
        print(f"  {us(c):7.1f}  {k}")
    print(f"  request threads {us(total):.1f}, inclusive:")
    for p in patterns:
        print(f"  {us(inclusive[p]):7.1f}  {p}")


if len(sys.argv) < 2:
    sys.exit(__doc__)
perf(sys.argv[1])
if os.path.exists(f"{sys.argv[1]}/ap.collapsed"):
    collapsed(sys.argv[1], sys.argv[2:])
