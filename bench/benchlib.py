"""What bench/ab.py and bench/perf-profile.py share: the harness's folder, wrk runs, process trees."""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
WORKLOADS = {"hello": ("/", "GET", 0, 64), "echo": ("/echo", "POST", 65536, 16), "stream": ("/stream", "GET", 0, 16)}
"""The harness's W1-W3: path, method, request body bytes, wrk connections (as anchors.sh runs them)."""


def harness():
    """BENCH, else ../shared/bench beside this checkout or beside its main worktree."""
    if os.environ.get("BENCH"):
        return os.environ["BENCH"]
    common = subprocess.run(["git", "-C", PROJECT, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                            capture_output=True, text=True).stdout.strip()
    for root in (PROJECT, os.path.dirname(common) if common else None):
        if root and os.path.isdir(os.path.join(root, "..", "shared", "bench")):
            return os.path.normpath(os.path.join(root, "..", "shared", "bench"))
    sys.exit("no harness: set BENCH to the shared harness's folder")


def wrk(bench, port, workload, seconds, connections=None):
    """One wrk run of the workload against 127.0.0.1:port (connections: default the harness's); its JSON summary."""
    path, method, body, conns = WORKLOADS[workload]
    conns = connections or conns
    env = dict(os.environ, BENCH_METHOD=method, BENCH_BODY_BYTES=str(body))
    out = subprocess.run(["wrk", f"-t{min(2, conns)}", f"-c{conns}", f"-d{seconds}s", "-s", os.path.join(bench, "lib", "bench.lua"),
                          f"http://127.0.0.1:{port}{path}"], env=env, capture_output=True, text=True).stdout
    return json.loads(out.split("BENCHJSON ", 1)[1].splitlines()[0])


def tree(pid):
    """pid and its descendants."""
    out = [pid]
    for c in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
        out += tree(int(c))
    return out
