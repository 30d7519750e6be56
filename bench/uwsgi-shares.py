#!/usr/bin/env python3
"""Where a wsgi4j uwsgi listener's CPU goes: async-profiler's collapsed stacks (bench/uwsgi-perf.sh with AP),
each sample put in the first category its stack matches, as shares of all samples (kernel frames included).

usage: bench/uwsgi-shares.py ap.collapsed [FRAME]
  FRAME  also the inclusive shares of the frames right below the first occurrence of FRAME
         (e.g. UwsgiConnection.run, ServerSocketChannelImpl.accept)
"""
import collections, sys

CATEGORIES = [
    ("selector: accept (the syscall, the JDK's channel, configureBlocking)",
     lambda s: "UwsgiSelector.acceptAll" in s and "readHead" not in s and "dispatch" not in s),
    ("selector: head read and parse", lambda s: "UwsgiSelector" in s and "readHead" in s),
    ("selector: hand-off (virtual-thread start)", lambda s: "UwsgiSelector" in s and "dispatch" in s),
    ("selector: select (epoll_wait)", lambda s: "UwsgiSelector" in s and "select" in s),
    ("selector: other", lambda s: "UwsgiSelector" in s),
    ("worker: environ (UwsgiEnviron + core's EnvironBuilder)", lambda s: "UwsgiEnviron" in s),
    ("worker: application", lambda s: "BenchApp" in s),
    ("worker: sink and socket write", lambda s: "UwsgiSink" in s or "Wire.write" in s),
    ("worker: engine, own frames", lambda s: "ResponseEngine" in s),
    ("worker: close", lambda s: "UwsgiConnection.finish" in s),
    ("worker: other", lambda s: "UwsgiConnection" in s),
    ("carriers: virtual-thread scheduling (mount, park, unpark, ForkJoinPool scans)",
     lambda s: "ForkJoin" in s or "VirtualThread" in s or "Continuation" in s),
    ("JIT compiler threads", lambda s: "CompileBroker" in s),
    ("GC", lambda s: "G1" in s or "GC_active" in s),
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    total, shares, below = 0, collections.Counter(), collections.Counter()
    frame = sys.argv[2] if len(sys.argv) > 2 else None
    for line in open(sys.argv[1]):
        stack, n = line.rstrip().rsplit(" ", 1)
        n = int(n)
        total += n
        shares[next((name for name, match in CATEGORIES if match(stack)), "other")] += n
        frames = stack.split(";")
        at = next((i for i, f in enumerate(frames) if frame and frame in f), None)
        if at is not None:
            below[frames[at + 1] if at + 1 < len(frames) else "(self)"] += n
    print(f"{total} samples")
    for name, n in shares.most_common():
        print(f"{100 * n / total:5.1f}%  {name}")
    if frame:
        print(f"--- below {frame}: {100 * sum(below.values()) / total:.1f}%")
        for name, n in below.most_common(20):
            print(f"{100 * n / total:5.1f}%  {name}")


main()
