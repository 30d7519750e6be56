#!/usr/bin/env python3
"""Where the CPU goes, kernel included: perf and strace on one server under one workload.

usage: bench/perf-profile.py SERVER WORKLOAD [OUT_DIR]
  SERVER    ours (wsgi4j-server, servlet bridge), ours-bare (the same without the access log and stats),
            ours-core (--front-end core), ours-core-nb (the same with --non-blocking), ours-core-nb-bare
            (that without the access log and stats), jetty (the harness's raw Jetty servlet), jetty-core
            (its raw Jetty core handler, hello only) or uwsgi (uWSGI --http-socket 2 x 2, Python)
  WORKLOAD  hello, echo or stream (the harness's W1-W3, same connections as the harness)
  OUT_DIR   default /tmp/perf-profile/SERVER-WORKLOAD
  PROJ      project dir of the wsgi4j build (default: this checkout; needs
            `mvn -B -q package -DskipTests -pl src/server -am`)
  ARGS      extra wsgi4j-server flags (the ours rows), e.g. "--input-buffer-size 8k"
  WARM, DUR seconds of unrecorded warm-up (default 20) and of each recorded run (default 8)
  AP        libasyncProfiler.so: a third run under async-profiler (cpu, 500 µs, per thread, inlined
            frames included), written to ap.collapsed (Java servers only)
  PORT      default 18441; BENCH the shared harness (default ../shared/bench beside this checkout or
            its main worktree), BENCH_BUILD where it built its Jetty anchor (default /tmp/bench-build)

After the warm-up it makes two runs of DUR seconds: one under `perf record -g` (99 Hz per CPU would be
too few samples: 1999 Hz, frame pointers; the JVMs run with -XX:+PreserveFramePointer and write
/tmp/perf-PID.map at exit so Java frames have names), one under `strace -c -f` (syscalls; strace
slows the server down, so only the counts per request mean something, not the times), and the
async-profiler run if AP is set. It writes perf.data, perf-report.txt (self time by command, object
and symbol), perf-kernel.txt (self time by object only), strace.txt, ap.collapsed, and summary.txt:
requests of each run and syscalls per request. bench/perf-shares.py turns perf.data and
ap.collapsed into CPU µs per request.
"""
import os, signal, subprocess, sys, time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
from benchlib import PROJECT, WORKLOADS, harness, tree, wrk as wrk_run

JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"
PROJ = os.environ.get("PROJ", PROJECT)
BENCH = harness()
BUILD = os.environ.get("BENCH_BUILD", "/tmp/bench-build")
PORT = int(os.environ.get("PORT", "18441"))
WARM = int(os.environ.get("WARM", "20"))
DUR = int(os.environ.get("DUR", "8"))
AP = os.environ.get("AP")
ARGS = os.environ.get("ARGS", "").split()
JVM = [JAVA, "-Xms64m", "-Xmx512m", "-XX:+PreserveFramePointer", "-XX:+UnlockDiagnosticVMOptions",
       "-XX:+DumpPerfMapAtExit"]


SERVERS = ("ours", "ours-bare", "ours-core", "ours-core-nb", "ours-core-nb-bare", "jetty", "jetty-core", "uwsgi")


def command(server, out):
    if server in ("jetty", "jetty-core"):
        return JVM + ["-cp", f"{BUILD}/jetty/target/jetty-anchor-1.0.jar:{BUILD}/jetty/target/lib/*",
                      "bench.JettyAnchor", "core" if server == "jetty-core" else "servlet", str(PORT)]
    if server == "uwsgi":
        return ["uwsgi", "--plugin", "python3", "--master", "--die-on-term", "--need-app", "--disable-logging",
                "--thunder-lock", "--chdir", f"{BENCH}/apps", "--wsgi-file", f"{BENCH}/apps/wsgi_app.py",
                "--http-socket", f"127.0.0.1:{PORT}", "--processes", "2", "--threads", "2"]
    front = ["--front-end", "core"] if server.startswith("ours-core") else []
    if server.startswith("ours-core-nb"):
        front.append("--non-blocking")
    observed = [] if server.endswith("-bare") else ["--access-log", f"{out}/access.log", "--stats",
                                                    f"127.0.0.1:{PORT + 1}"]
    return JVM + ["-jar", f"{PROJ}/src/server/target/wsgi4j-server.jar", "--http", f"127.0.0.1:{PORT}",
                  "--no-virtual-threads", *front, *observed, "--classpath", f"{PROJ}/src/server/target/test-classes",
                  "--mount", "/=org.wsgi4j.jetty.BenchApp", *ARGS]


def wrk(workload, seconds):
    return wrk_run(BENCH, PORT, workload, seconds)["requests"]


def under(tool, workload):
    """Runs wrk for DUR seconds while `tool` (a Popen, already attached) records; returns wrk's requests."""
    time.sleep(1)
    requests = wrk(workload, DUR)
    tool.send_signal(signal.SIGINT)
    tool.wait()
    return requests


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in SERVERS or sys.argv[2] not in WORKLOADS:
        sys.exit(__doc__)
    server, workload = sys.argv[1], sys.argv[2]
    out = sys.argv[3] if len(sys.argv) > 3 else f"/tmp/perf-profile/{server}-{workload}"
    os.makedirs(out, exist_ok=True)
    proc = subprocess.Popen(command(server, out), stdout=open(f"{out}/server.log", "w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        for _ in range(300):
            if subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{PORT}/"]).returncode == 0:
                break
            time.sleep(0.1)
        wrk(workload, WARM)
        pids = ",".join(map(str, tree(proc.pid)))
        perf = subprocess.Popen(["perf", "record", "-F", "1999", "-g", "-p", pids, "-o", f"{out}/perf.data"],
                                stdout=subprocess.DEVNULL, stderr=open(f"{out}/perf.log", "w"))
        perf_requests = under(perf, workload)
        strace = subprocess.Popen(["strace", "-c", "-f", "-o", f"{out}/strace.txt"]
                                  + [a for p in pids.split(",") for a in ("-p", p)], stderr=subprocess.DEVNULL)
        strace_requests = under(strace, workload)
        ap_requests = None
        if AP and server != "uwsgi":
            jcmd = os.path.join(os.path.dirname(JAVA), "jcmd")
            subprocess.run([jcmd, str(proc.pid), "JVMTI.agent_load", AP, '"start,event=cpu,interval=500us,threads"'],
                           capture_output=True)
            ap_requests = wrk(workload, DUR)
            subprocess.run([jcmd, str(proc.pid), "JVMTI.agent_load", AP, f'"stop,file={out}/ap.collapsed"'],
                           capture_output=True)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
    time.sleep(1)
    report = subprocess.run(["perf", "report", "-i", f"{out}/perf.data", "--no-children", "--stdio", "-g", "none",
                             "--sort", "comm,dso,sym", "--percent-limit", "0.3"], capture_output=True, text=True).stdout
    open(f"{out}/perf-report.txt", "w").write(report)
    kernel = subprocess.run(["perf", "report", "-i", f"{out}/perf.data", "--no-children", "--stdio", "-g", "none",
                             "--sort", "dso"], capture_output=True, text=True).stdout
    open(f"{out}/perf-kernel.txt", "w").write(kernel)
    lines = [f"{server} {workload}: perf run {perf_requests} requests, strace run {strace_requests} requests"
             + (f", async-profiler run {ap_requests} requests" if ap_requests else ""),
             "syscalls per request (strace run):"]
    for line in open(f"{out}/strace.txt"):
        f = line.split()
        if len(f) >= 5 and f[3].isdigit() and f[-1] != "total":
            lines.append(f"  {f[-1]:20} {int(f[3]) / max(1, strace_requests):9.2f}")
    open(f"{out}/summary.txt", "w").write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
