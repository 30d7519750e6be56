#!/usr/bin/env python3
"""The servlet bridge beside raw Jetty: interleaved rounds of several servers over HTTP, warmed up,
req/s and CPU per request (utime+stime of the server process from /proc), medians.

usage: bench/bridge-ab.py [ROUNDS [WARMUP_S [DURATION_S]]]
  Each server, started fresh per round, first runs every workload AB_WARM_CYCLES times (default 2)
  for WARMUP_S seconds unrecorded: on a loaded 2-core machine C2 needs 20-30 s of load before
  the bridge's hello reaches its steady state (raw Jetty's less), so short warm-ups measure the JIT.
  AB_VARIANTS comma-separated subset of jetty,base,new (default all three, in that order; the
              order alternates from round to round); also jetty-core (the harness's raw Jetty core
              handler, hello only), core and core-nb (the new build with --front-end core, and with
              --non-blocking too), base-core and base-core-nb (the same on the base build); the
              first is the reference of the ratios
  AB_BASE     project dir of the base build (default /tmp/stream-base-proj, e.g.
              `git worktree add /tmp/x main`), AB_NEW the new one (default: this checkout); both
              need `mvn -B -q package -DskipTests -pl src/server -am`
  AB_WORK     comma-separated subset of hello,echo,stream
  AB_VT       1: wsgi4j with --virtual-threads (default --no-virtual-threads, as raw Jetty's pool)
  AB_JFR      a directory: record a JFR profile (settings=profile) of each measured run there,
              <variant>-<workload>-r<round>.jfr (costs CPU; do not read CPU figures from such runs)
  BENCH       the shared harness (wrk script, raw Jetty anchor); default ../shared/bench
  BENCH_BUILD where the harness built its raw Jetty anchor (default /tmp/bench-build;
              `BENCH_BUILD=... bash $BENCH/lib/build-jetty.sh`)
CPU per request is the whole process's; "without the JIT" leaves out the compiler threads (C1, C2),
which on a loaded machine are still compiling the bridge's code long after the warm-up.
wsgi4j runs as a user would: --access-log to a file, --stats on. Temurin 25, -Xms64m -Xmx512m,
ports AB_PORT (HTTP, default 18221) and the next one (stats); logs in /tmp/bridge-ab-AB_PORT.
"""
import json, os, statistics, subprocess, sys, time

JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
JCMD = os.path.join(os.path.dirname(JAVA), "jcmd")
HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.environ.get("BENCH", os.path.join(os.path.dirname(HERE), "..", "shared", "bench"))
BUILD = os.environ.get("BENCH_BUILD", "/tmp/bench-build")
PROJECTS = {"base": os.environ.get("AB_BASE", "/tmp/stream-base-proj"), "new": os.environ.get("AB_NEW", os.path.dirname(HERE))}
VARIANTS = os.environ.get("AB_VARIANTS", "jetty,base,new").split(",")
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
WARM = int(sys.argv[2]) if len(sys.argv) > 2 else 8
DUR = int(sys.argv[3]) if len(sys.argv) > 3 else 10
LUA = os.path.join(BENCH, "lib", "bench.lua")
HZ = os.sysconf("SC_CLK_TCK")
PORT = int(os.environ.get("AB_PORT", "18221"))
STATS = PORT + 1
JFR = os.environ.get("AB_JFR")
WORK = [("hello", "/", "GET", 0, 64), ("echo", "/echo", "POST", 65536, 16), ("stream", "/stream", "GET", 0, 16)]
if os.environ.get("AB_WORK"):
    WORK = [w for w in WORK if w[0] in os.environ["AB_WORK"].split(",")]


def command(variant, d):
    opts = [JAVA, "-Xms64m", "-Xmx512m"]
    if variant in ("jetty", "jetty-core"):
        cp = f"{BUILD}/jetty/target/jetty-anchor-1.0.jar:{BUILD}/jetty/target/lib/*"
        return opts + ["-cp", cp, "bench.JettyAnchor", "servlet" if variant == "jetty" else "core", str(PORT)]
    core, nb = ["--front-end", "core"], ["--front-end", "core", "--non-blocking"]
    proj, front = {"base": ("base", []), "new": ("new", []), "core": ("new", core), "core-nb": ("new", nb),
                   "base-core": ("base", core), "base-core-nb": ("base", nb)}[variant]
    proj = PROJECTS[proj]
    threads = "--virtual-threads" if os.environ.get("AB_VT") == "1" else "--no-virtual-threads"
    return opts + ["-jar", f"{proj}/src/server/target/wsgi4j-server.jar", "--http", f"127.0.0.1:{PORT}", threads, *front,
                   "--access-log", f"{d}/access.log", "--stats", f"127.0.0.1:{STATS}",
                   "--classpath", f"{proj}/src/server/target/test-classes", "--mount", "/=org.wsgi4j.jetty.BenchApp"]


def ticks(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(f[11]) + int(f[12])


def jit_ticks(pid):
    """CPU ticks of the JIT compiler threads so far (threads that ended are not counted)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            name = open(f"/proc/{pid}/task/{task}/comm").read()
            if "CompilerThre" in name:
                f = open(f"/proc/{pid}/task/{task}/stat").read().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12])
        except OSError:
            pass
    return total


def wrk(path, method, body, conns, seconds):
    env = dict(os.environ, BENCH_METHOD=method, BENCH_BODY_BYTES=str(body))
    out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{seconds}s", "-s", LUA, f"http://127.0.0.1:{PORT}{path}"],
                         env=env, capture_output=True, text=True).stdout
    return json.loads(out.split("BENCHJSON ", 1)[1].splitlines()[0])


def run(variant, rnd, results):
    d = f"/tmp/bridge-ab-{PORT}/{variant}"
    os.makedirs(d, exist_ok=True)
    server = subprocess.Popen(command(variant, d), stdout=open(d + "/server.log", "w"), stderr=subprocess.STDOUT)
    for _ in range(300):
        if subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{PORT}/"]).returncode == 0:
            break
        time.sleep(0.1)
    try:
        for _ in range(int(os.environ.get("AB_WARM_CYCLES", "2"))):
            for name, path, method, body, conns in WORK:
                wrk(path, method, body, conns, WARM)
        for name, path, method, body, conns in WORK:
            if JFR:
                os.makedirs(JFR, exist_ok=True)
                subprocess.run([JCMD, str(server.pid), "JFR.start", "name=ab", "settings=profile",
                                "jdk.ExecutionSample#period=1ms"], capture_output=True)
            load = os.getloadavg()[0]
            t0, c0 = ticks(server.pid), jit_ticks(server.pid)
            j = wrk(path, method, body, conns, DUR)
            t1, c1 = ticks(server.pid), jit_ticks(server.pid)
            if JFR:
                subprocess.run([JCMD, str(server.pid), "JFR.stop", "name=ab",
                                f"filename={JFR}/{variant}-{name}-r{rnd}.jfr"], capture_output=True)
            rps = j["requests"] / (j["duration_us"] / 1e6)
            cpu_us = (t1 - t0) / HZ * 1e6 / max(1, j["requests"])
            jit_us = (c1 - c0) / HZ * 1e6 / max(1, j["requests"])
            errs = j["err_status"] + j["err_timeout"] + j["err_read"] + j["err_connect"]
            print(f"round {rnd} {variant:9} {name:6} {rps:9.0f} req/s {cpu_us:7.1f} cpu-us/req (JIT {jit_us:5.1f}) errs {errs} "
                  f"load {load:.1f}", flush=True)
            results.append((variant, name, rps, cpu_us, cpu_us - jit_us))
    finally:
        server.terminate()
        server.wait()


results = []
for r in range(ROUNDS):
    for variant in (VARIANTS if r % 2 == 0 else VARIANTS[::-1]):
        run(variant, r, results)
print("--- medians of", ROUNDS, "rounds")
medians = {}
for v in VARIANTS:
    for name, *_ in WORK:
        xs = [x for x in results if x[0] == v and x[1] == name]
        medians[v, name] = (statistics.median(x[2] for x in xs), statistics.median(x[3] for x in xs),
                            statistics.median(x[4] for x in xs))
        print(f"{v:9} {name:6} {medians[v, name][0]:9.0f} req/s {medians[v, name][1]:7.1f} cpu-us/req "
              f"{medians[v, name][2]:7.1f} without the JIT")
ref = VARIANTS[0]
for v in VARIANTS[1:]:
    for name, *_ in WORK:
        a, b = medians[v, name], medians[ref, name]
        print(f"{v}/{ref} {name:6} {a[0] / b[0]:.3f}x req/s {a[1] / b[1]:.3f}x cpu {a[2] / b[2]:.3f}x cpu without the JIT")
