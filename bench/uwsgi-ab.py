#!/usr/bin/env python3
"""A/B of nginx -> uwsgi -> wsgi4j: interleaved rounds of two builds, TCP and unix socket, warmed up.

usage: bench/uwsgi-ab.py [ROUNDS [WARMUP_S [DURATION_S]]]
  AB_BASE  project dir of the base build (default /tmp/uwsgi-base, e.g. `git archive main | tar -x`)
  AB_NEW   project dir of the new build (default: this checkout); both need
           `mvn -B -q -o package -DskipTests -pl src/server -am` done
  AB_BASE_ARGS, AB_NEW_ARGS  extra wsgi4j-server flags of each (e.g. "--no-virtual-threads --threads 16")
  AB_BASE_JVM, AB_NEW_JVM    extra JVM options of each
  AB_WORK  comma-separated subset of hello,echo,stream; AB_TRANSPORTS  of tcp,unix
  BENCH    the shared harness (for its nginx confs and wrk script; default ../shared/bench)
  AB_PORT  nginx's port (default 18211; the TCP backend uses the next one); AB_DIR  run files (default /tmp/uwsgi-ab)
Temurin 25 runs both jars; nginx runs as root with the harness's settings.
"""
import os, subprocess, sys, time, re, json
JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = {"base": os.environ.get("AB_BASE_ARGS", "").split(), "new": os.environ.get("AB_NEW_ARGS", "").split()}
JVM = {"base": os.environ.get("AB_BASE_JVM", "").split(), "new": os.environ.get("AB_NEW_JVM", "").split()}
VARIANTS = {"base": os.environ.get("AB_BASE", "/tmp/uwsgi-base"), "new": os.environ.get("AB_NEW", os.path.dirname(HERE))}
BENCH = os.environ.get("BENCH", os.path.join(os.path.dirname(HERE), "..", "shared", "bench"))
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 2
WARM = int(sys.argv[2]) if len(sys.argv) > 2 else 8
DUR = int(sys.argv[3]) if len(sys.argv) > 3 else 10
LUA = os.path.join(BENCH, "lib", "bench.lua")
PORT = int(os.environ.get("AB_PORT", "18211"))
RUNDIR = os.environ.get("AB_DIR", "/tmp/uwsgi-ab")
HZ = os.sysconf("SC_CLK_TCK")
WORK = [("hello", "/", "GET", 0, 64), ("echo", "/echo", "POST", 65536, 16), ("stream", "/stream", "GET", 0, 16)]
TRANSPORTS = os.environ.get("AB_TRANSPORTS", "tcp,unix").split(",")
if os.environ.get("AB_WORK"):
    WORK = [w for w in WORK if w[0] in os.environ["AB_WORK"].split(",")]

def ticks(pids):
    t = 0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            t += int(f[11]) + int(f[12])
        except OSError:
            pass
    return t

def tree(pid):
    out = [pid]
    for c in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
        out += tree(int(c))
    return out

def run(variant, transport, rnd, results):
    d = f"{RUNDIR}/{variant}-{transport}"
    os.makedirs(d + "/tmp", exist_ok=True)
    sock = f"{d}/uwsgi.sock"
    if os.path.exists(sock):
        os.unlink(sock)
    conf = open(BENCH + "/conf/nginx-uwsgi.conf" if transport == "unix" else BENCH + "/conf/nginx-uwsgi-tcp.conf").read()
    conf = conf.replace("@SRVDIR@", d).replace("@PORT@", str(PORT)).replace("@BACKEND_PORT@", str(PORT + 1)).replace("user www-data;", "user root;")
    open(d + "/nginx.conf", "w").write(conf)
    open(d + "/nginx-common.inc", "w").write(open(BENCH + "/conf/nginx-common.inc").read().replace("@SRVDIR@", d))
    proj = VARIANTS[variant]
    addr = f"unix:{sock}" if transport == "unix" else f"127.0.0.1:{PORT + 1}"
    java = subprocess.Popen([JAVA, "-Xms64m", "-Xmx512m"] + JVM[variant] + ["-jar", f"{proj}/src/server/target/wsgi4j-server.jar", "--uwsgi", addr,
                             "--classpath", f"{proj}/src/server/target/test-classes", "--mount", "/=org.wsgi4j.jetty.BenchApp"] + ARGS[variant],
                            stdout=open(d + "/java.log", "w"), stderr=subprocess.STDOUT)
    for _ in range(100):
        if (transport == "unix" and os.path.exists(sock)) or (transport == "tcp" and subprocess.run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{PORT + 1}"], capture_output=True).returncode == 0):
            break
        time.sleep(0.1)
    nginx = subprocess.Popen(["nginx", "-c", d + "/nginx.conf", "-g", "daemon off;"], stdout=open(d + "/nginx.log", "w"), stderr=subprocess.STDOUT)
    time.sleep(1)
    try:
        for name, path, method, body, conns in WORK:
            env = dict(os.environ, BENCH_METHOD=method, BENCH_BODY_BYTES=str(body))
            subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{WARM}s", "-s", LUA, f"http://127.0.0.1:{PORT}{path}"], env=env, capture_output=True)
            pids = tree(java.pid) + tree(nginx.pid)
            t0 = ticks(pids)
            out = subprocess.run(["wrk", "-t2", f"-c{conns}", f"-d{DUR}s", "-s", LUA, f"http://127.0.0.1:{PORT}{path}"], env=env, capture_output=True, text=True).stdout
            t1 = ticks(pids)
            j = json.loads(out.split("BENCHJSON ", 1)[1].splitlines()[0])
            rps = j["requests"] / (j["duration_us"] / 1e6)
            cpu_us = (t1 - t0) / HZ * 1e6 / max(1, j["requests"])
            errs = j["err_status"] + j["err_timeout"]
            line = f"round {rnd} {variant:4} {transport:4} {name:6} {rps:9.0f} req/s {cpu_us:7.0f} cpu-us/req errs {errs} load {os.getloadavg()[0]:.1f}"
            print(line, flush=True)
            results.append((variant, transport, name, rps, cpu_us))
    finally:
        nginx.terminate(); java.terminate(); nginx.wait(); java.wait()

results = []
for r in range(ROUNDS):
    for transport in TRANSPORTS:
        for variant in (("base", "new") if r % 2 == 0 else ("new", "base")):
            run(variant, transport, r, results)
print("--- medians")
import statistics
for transport in TRANSPORTS:
    for name, *_ in WORK:
        row = {}
        for v in VARIANTS:
            xs = [x for x in results if x[0] == v and x[1] == transport and x[2] == name]
            row[v] = (statistics.median(x[3] for x in xs), statistics.median(x[4] for x in xs))
        print(f"{transport:4} {name:6} base {row['base'][0]:8.0f} req/s {row['base'][1]:6.0f} us | new {row['new'][0]:8.0f} req/s {row['new'][1]:6.0f} us | ratio {row['new'][0]/row['base'][0]:.2f}x req/s, {row['new'][1]/row['base'][1]:.2f}x cpu")
