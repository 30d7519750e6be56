#!/usr/bin/env python3
"""Where the execution samples of a JFR recording go: top frames (self) and frames on the stack
(inclusive, counted once per sample), as shares of all samples.

usage: bench/jfr-shares.py FILE.jfr [TOP [PATTERN...]]
  TOP      how many methods to list in each table (default 25)
  PATTERN  substrings of a frame (e.g. Recorder.completed, ServletSink.flush): the share of
           samples with such a frame on the stack, one line each
Uses Temurin 25's `jfr print --events jdk.ExecutionSample` (Java code only: time in the kernel
and in the JVM's own threads is not sampled).
"""
import collections, re, subprocess, sys

JFR = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr"
path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
patterns = sys.argv[3:]
out = subprocess.run([JFR, "print", "--events", "jdk.ExecutionSample", "--stack-depth", "256", path],
                     capture_output=True, text=True).stdout
frame = re.compile(r"^\s+(\S.*?\))(?:\s+line:.*)?$")
samples = []
stack = None
for line in out.splitlines():
    if line.strip().startswith("stackTrace = ["):
        stack = []
    elif stack is not None:
        if line.strip() == "]" or line.strip() == "...":
            if line.strip() == "]":
                samples.append(stack)
                stack = None
        else:
            m = frame.match(line)
            if m:
                stack.append(re.sub(r"\(.*\)$", "", m.group(1)))
n = len(samples)
print(f"{path}: {n} samples")
self_ = collections.Counter(s[0] for s in samples if s)
incl = collections.Counter()
for s in samples:
    for f in set(s):
        incl[f] += 1
print(f"-- top frames (self)")
for f, c in self_.most_common(top):
    print(f"{100 * c / n:5.1f}%  {f}")
print(f"-- on the stack (inclusive)")
for f, c in incl.most_common(top):
    print(f"{100 * c / n:5.1f}%  {f}")
for p in patterns:
    c = sum(1 for s in samples if any(p in f for f in s))
    print(f"{100 * c / n:5.1f}%  [{p}]")
for p in patterns:
    under = collections.Counter()
    for s in samples:
        idx = [i for i, f in enumerate(s) if p in f]
        if idx:
            i = max(idx)
            # the frames called from the outermost matching frame, down to the top: name the first two
            path = " < ".join(s[max(0, i - 2):i]) if i > 0 else "(self)"
            under[path] += 1
    if under:
        print(f"-- under [{p}] (the two frames below the outermost match)")
        for f, c in under.most_common(12):
            print(f"{100 * c / n:5.1f}%  {f}")
