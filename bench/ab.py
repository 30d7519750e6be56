#!/usr/bin/env python3
"""A/B of wsgi4j builds (and raw Jetty): interleaved rounds, warmed up, req/s and CPU per request, medians.

usage: bench/ab.py http|uwsgi [ROUNDS [WARMUP_S [DURATION_S]]]
  http   wsgi4j-server serving HTTP itself (servlet bridge; AB_BASE_ARGS/AB_NEW_ARGS="--front-end core"
         for the core one) beside the harness's raw Jetty servlet anchor, over 127.0.0.1:AB_PORT
         (default 18221; the stats listener the next port). This was bench/bridge-ab.py.
  uwsgi  nginx -> uwsgi_pass -> wsgi4j-server --uwsgi, over TCP (the backend on AB_PORT + 1) and a unix
         socket, with the harness's nginx configurations; nginx listens on AB_PORT (default 18211).
         This was bench/uwsgi-ab.py.
  Each variant is started fresh per round, in an order that alternates from round to round. Before it
  is measured, every workload runs AB_WARM_CYCLES times (default 2 for http, 0 for uwsgi) for WARMUP_S
  seconds unrecorded, and, with AB_WARM_EACH=1 (the default for uwsgi), once more right before its own
  measured run: on a loaded 2-core machine C2 needs 20-30 s of load before the bridge's hello reaches
  its steady state, so short warm-ups measure the JIT.

  AB_VARIANTS    comma-separated, the first is the reference of the ratios: jetty (http only), base, new;
                 default jetty,base,new (http) or base,new (uwsgi). Also, http only: jetty-core (the
                 harness's raw Jetty core handler, hello only), core and core-nb (the new build with
                 --front-end core, and with --non-blocking too), core-nb-bare (core-nb without
                 --access-log and --stats: what the observer costs), core-nb-log and core-nb-stats (core-nb
                 with only the access log, only the stats), base-core, base-core-nb and
                 base-core-nb-bare (the same on the base build); new-bare and base-bare (the servlet bridge
                 without --access-log and --stats: the bridge alone against raw Jetty's servlet)
  AB_BASE        project dir of the base build (default /tmp/stream-base-proj for http, /tmp/uwsgi-base
                 for uwsgi; e.g. `git archive main | tar -x -C DIR`), AB_NEW the new one (default: this
                 checkout); both need `mvn -B -q -o package -DskipTests -pl src/server -am`
  AB_BASE_ARGS, AB_NEW_ARGS  extra wsgi4j-server flags of each (e.g. "--threads 16")
  AB_BASE_JVM, AB_NEW_JVM    extra JVM options of each
  AB_WORK        comma-separated subset of hello,echo,stream; AB_TRANSPORTS (uwsgi) of tcp,unix
  AB_CONNECTIONS wrk connections for every workload instead of the harness's (64 hello, 16 echo and stream);
                 e.g. 2 for a machine that is mostly idle between requests, where thread wake-ups dominate
  AB_VT          1: wsgi4j with --virtual-threads (http; default --no-virtual-threads, as raw Jetty's pool)
  AB_JFR         a directory: record a JFR profile (settings=profile) of each measured run there,
                 <variant>-<transport>-<workload>-r<round>.jfr (costs CPU; read no CPU figures from such runs)
  AB_DIR         run files (default /tmp/bridge-ab-AB_PORT or /tmp/uwsgi-ab)
  BENCH          the shared harness (wrk script, nginx confs; default ../shared/bench beside this checkout
                 or beside its main worktree); BENCH_BUILD where it built its raw Jetty anchor (default
                 /tmp/bench-build; `BENCH_BUILD=... bash $BENCH/lib/build-jetty.sh`)
CPU per request is utime + stime of the server's process tree from /proc (nginx included for uwsgi);
"without the JIT" leaves out the JVM's compiler threads (C1, C2), which on a loaded machine are still
compiling long after the warm-up. wsgi4j runs as a user would in http mode (the -bare variants aside):
--access-log to a file, --stats on. Temurin 25, -Xms64m -Xmx512m; nginx runs as root with the harness's settings.
"""
import os, statistics, subprocess, sys, time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from benchlib import PROJECT, harness, tree, wrk as wrk_run

JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
JCMD = os.path.join(os.path.dirname(JAVA), "jcmd")
HZ = os.sysconf("SC_CLK_TCK")

if len(sys.argv) < 2 or sys.argv[1] not in ("http", "uwsgi"):
    sys.exit(__doc__)
MODE = sys.argv[1]
HTTP = MODE == "http"
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else (3 if HTTP else 2)
WARM = int(sys.argv[3]) if len(sys.argv) > 3 else 8
DUR = int(sys.argv[4]) if len(sys.argv) > 4 else 10
ENV = os.environ.get


BENCH = harness()
BUILD = ENV("BENCH_BUILD", "/tmp/bench-build")
PROJECTS = {"base": ENV("AB_BASE", "/tmp/stream-base-proj" if HTTP else "/tmp/uwsgi-base"),
            "new": ENV("AB_NEW", PROJECT)}
ARGS = {v: ENV(f"AB_{v.upper()}_ARGS", "").split() for v in ("base", "new")}
JVM = {v: ENV(f"AB_{v.upper()}_JVM", "").split() for v in ("base", "new")}
VARIANTS = ENV("AB_VARIANTS", "jetty,base,new" if HTTP else "base,new").split(",")
if not HTTP and set(VARIANTS) - {"base", "new"}:
    sys.exit("behind nginx only base and new have a uwsgi listener: AB_VARIANTS=base,new")
TRANSPORTS = ["http"] if HTTP else ENV("AB_TRANSPORTS", "tcp,unix").split(",")
PORT = int(ENV("AB_PORT", "18221" if HTTP else "18211"))
RUNDIR = ENV("AB_DIR", f"/tmp/bridge-ab-{PORT}" if HTTP else "/tmp/uwsgi-ab")
WARM_CYCLES = int(ENV("AB_WARM_CYCLES", "2" if HTTP else "0"))
WARM_EACH = ENV("AB_WARM_EACH", "0" if HTTP else "1") == "1"
JFR = ENV("AB_JFR")
WORK = ENV("AB_WORK", "hello,echo,stream").split(",")
CONNECTIONS = int(ENV("AB_CONNECTIONS", "0")) or None


def java_command(variant, transport, d):
    opts = [JAVA, "-Xms64m", "-Xmx512m"]
    if variant in ("jetty", "jetty-core"):
        cp = f"{BUILD}/jetty/target/jetty-anchor-1.0.jar:{BUILD}/jetty/target/lib/*"
        return opts + ["-cp", cp, "bench.JettyAnchor", "servlet" if variant == "jetty" else "core", str(PORT)]
    core, nb = ["--front-end", "core"], ["--front-end", "core", "--non-blocking"]
    own, front = {"base": ("base", []), "new": ("new", []), "core": ("new", core), "core-nb": ("new", nb),
                  "core-nb-bare": ("new", nb), "core-nb-log": ("new", nb), "core-nb-stats": ("new", nb),
                  "new-bare": ("new", []), "base-bare": ("base", []),
                  "base-core": ("base", core), "base-core-nb": ("base", nb),
                  "base-core-nb-bare": ("base", nb)}[variant]
    proj = PROJECTS[own]
    app = ["--classpath", f"{proj}/src/server/target/test-classes", "--mount", "/=org.wsgi4j.jetty.BenchApp"]
    jar = opts + JVM[own] + ["-jar", f"{proj}/src/server/target/wsgi4j-server.jar"]
    if HTTP:
        threads = "--virtual-threads" if ENV("AB_VT") == "1" else "--no-virtual-threads"
        log = [] if variant.endswith(("-bare", "-stats")) else ["--access-log", f"{d}/access.log"]
        stats = [] if variant.endswith(("-bare", "-log")) else ["--stats", f"127.0.0.1:{PORT + 1}"]
        observer = log + stats
        return jar + ["--http", f"127.0.0.1:{PORT}", threads, *observer, *front] + app + ARGS[own]
    addr = f"unix:{d}/uwsgi.sock" if transport == "unix" else f"127.0.0.1:{PORT + 1}"
    return jar + ["--uwsgi", addr] + app + ARGS[own]


def nginx_config(transport, d):
    conf = open(f"{BENCH}/conf/nginx-uwsgi.conf" if transport == "unix" else f"{BENCH}/conf/nginx-uwsgi-tcp.conf").read()
    conf = conf.replace("@SRVDIR@", d).replace("@PORT@", str(PORT)).replace("@BACKEND_PORT@", str(PORT + 1))
    open(d + "/nginx.conf", "w").write(conf.replace("user www-data;", "user root;"))
    open(d + "/nginx-common.inc", "w").write(open(f"{BENCH}/conf/nginx-common.inc").read().replace("@SRVDIR@", d))


def listening(transport, d):
    if transport == "unix":
        return os.path.exists(f"{d}/uwsgi.sock")
    if transport == "http":
        return subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{PORT}/"]).returncode == 0
    return subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{PORT + 1}"], capture_output=True).returncode == 0


def ticks(pids, jit_only=False):
    """CPU ticks of the processes so far; with jit_only those of the JIT compiler threads (ended ones not counted)."""
    total = 0
    for pid in pids:
        try:
            tasks = [f"/proc/{pid}/task/{t}" for t in os.listdir(f"/proc/{pid}/task")] if jit_only else [f"/proc/{pid}"]
            for task in tasks:
                if jit_only and "CompilerThre" not in open(f"{task}/comm").read():
                    continue
                f = open(f"{task}/stat").read().rsplit(")", 1)[1].split()
                total += int(f[11]) + int(f[12])
        except OSError:
            pass
    return total


def wrk(name, seconds):
    return wrk_run(BENCH, PORT, name, seconds, CONNECTIONS)


def run(variant, transport, rnd, results):
    d = f"{RUNDIR}/{variant}-{transport}"
    os.makedirs(d + "/tmp", exist_ok=True)
    if os.path.exists(f"{d}/uwsgi.sock"):
        os.unlink(f"{d}/uwsgi.sock")
    java = subprocess.Popen(java_command(variant, transport, d), stdout=open(d + "/java.log", "w"), stderr=subprocess.STDOUT)
    nginx = None
    try:
        for _ in range(300):
            if listening(transport, d):
                break
            time.sleep(0.1)
        if not HTTP:
            nginx_config(transport, d)
            nginx = subprocess.Popen(["nginx", "-c", d + "/nginx.conf", "-g", "daemon off;"],
                                     stdout=open(d + "/nginx.log", "w"), stderr=subprocess.STDOUT)
            time.sleep(1)
        for _ in range(WARM_CYCLES):
            for name in WORK:
                wrk(name, WARM)
        for name in WORK:
            if WARM_EACH:
                wrk(name, WARM)
            if JFR:
                os.makedirs(JFR, exist_ok=True)
                subprocess.run([JCMD, str(java.pid), "JFR.start", "name=ab", "settings=profile",
                                "jdk.ExecutionSample#period=1ms"], capture_output=True)
            pids = tree(java.pid) + (tree(nginx.pid) if nginx else [])
            load = os.getloadavg()[0]
            t0, c0 = ticks(pids), ticks([java.pid], jit_only=True)
            j = wrk(name, DUR)
            t1, c1 = ticks(pids), ticks([java.pid], jit_only=True)
            if JFR:
                subprocess.run([JCMD, str(java.pid), "JFR.stop", "name=ab",
                                f"filename={JFR}/{variant}-{transport}-{name}-r{rnd}.jfr"], capture_output=True)
            requests = max(1, j["requests"])
            rps = j["requests"] / (j["duration_us"] / 1e6)
            cpu_us = (t1 - t0) / HZ * 1e6 / requests
            jit_us = (c1 - c0) / HZ * 1e6 / requests
            errs = j["err_status"] + j["err_timeout"] + j["err_read"] + j["err_connect"]
            print(f"round {rnd} {variant:9} {transport:5} {name:6} {rps:9.0f} req/s {cpu_us:7.1f} cpu-us/req "
                  f"(JIT {jit_us:5.1f}) errs {errs} load {load:.1f}", flush=True)
            results.append((variant, transport, name, rps, cpu_us, cpu_us - jit_us))
    finally:
        for p in (nginx, java):
            if p:
                p.terminate()
                p.wait()


def main():
    results = []
    for r in range(ROUNDS):
        for transport in TRANSPORTS:
            for variant in (VARIANTS if r % 2 == 0 else VARIANTS[::-1]):
                run(variant, transport, r, results)
    print("--- medians of", ROUNDS, "rounds")
    medians = {}
    for transport in TRANSPORTS:
        for name in WORK:
            for v in VARIANTS:
                xs = [x for x in results if x[:3] == (v, transport, name)]
                m = tuple(statistics.median(x[i] for x in xs) for i in (3, 4, 5))
                medians[v, transport, name] = m
                print(f"{v:9} {transport:5} {name:6} {m[0]:9.0f} req/s {m[1]:7.1f} cpu-us/req {m[2]:7.1f} without the JIT")
    ref = VARIANTS[0]
    for v in VARIANTS[1:]:
        for transport in TRANSPORTS:
            for name in WORK:
                a, b = medians[v, transport, name], medians[ref, transport, name]
                print(f"{v}/{ref} {transport:5} {name:6} {a[0] / b[0]:.3f}x req/s {a[1] / b[1]:.3f}x cpu "
                      f"{a[2] / b[2]:.3f}x cpu without the JIT")


main()
