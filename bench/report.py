#!/usr/bin/env python3
"""Tables and charts of one benchmark run, for docs/BENCHMARKS.md.

    bench/report.py docs/bench                 # what bench/run.sh does after recording a run
    bench/report.py DIR --doc none --svg-dir OUT   # charts only (e.g. of a --quick run's folder)

DIR holds the run's runs.csv (one row per measured wrk run, as ../shared/bench writes it), and
optionally summary.json (machine notes), command.txt (the command that produced it) and slow.md
(bench/slow.sh's table). Figures are medians over rounds, as in the harness's summary.md.
Writes DIR/throughput.svg and DIR/cpu-per-request.svg (gnuplot, Debian package gnuplot-nox; the
same CSV gives the same files) and replaces the text between the markers
<!-- BEGIN NAME --> and <!-- END NAME --> of the doc (sections "record" and "slow").
The goal ratios are computed here rather than listed in the harness: its ratio rows come from the
[harness] section of servers.ini, which an appended bench/servers-wsgi4j.ini cannot extend (the
harness reads the file with configparser's strict mode, so a second [harness] stops it).
Only the Python standard library is used.
"""
import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

WORKLOADS = [("hello", "W1 hello"), ("echo", "W2 echo 64 KiB"), ("stream", "W3 stream 1 MiB")]
# The order rows appear in (rows not listed follow, in alphabetical order).
ORDER = ["ours", "ours-core", "ours-core-nb", "ours-vt", "ours-python", "ours-nginx", "ours-nginx-unix",
         "jetty-servlet", "jetty-core", "uwsgi-p2t2", "uwsgi-p4", "nginx-uwsgi"]
# Issue 15's goals: (goal, A, B, measure, {workload: (comparison, bound)}); measure "rps" or "cpu".
GOALS = [
    ("1 the bridge costs nothing", "ours", "jetty-servlet", "rps",
     {"hello": (">=", 0.98), "echo": (">=", 0.98), "stream": (">=", 0.98)}),
    ("1 the bridge costs nothing", "ours", "jetty-servlet", "cpu",
     {"hello": ("<=", 1.02), "echo": ("<=", 1.02), "stream": ("<=", 1.02)}),
    ("2 beat uWSGI", "ours", "uwsgi-p2t2", "rps", {"hello": (">=", 3.0), "echo": (">=", 1.5), "stream": (">=", 1.0)}),
    ("2 beat uWSGI", "ours", "uwsgi-p2t2", "cpu", {"hello": ("<=", 1.0), "echo": ("<=", 1.0), "stream": ("<=", 1.0)}),
    ("3 Jetty core front end", "ours-core", "jetty-core", "rps", {"hello": (">=", 0.9)}),
    ("3 Jetty core front end", "ours-core", "jetty-core", "cpu", {}),
    ("3 Jetty core front end", "ours-core", "ours", "rps", {}),
    ("3 Jetty core front end", "ours-core-nb", "jetty-core", "rps", {"hello": (">=", 0.9)}),
    ("3 Jetty core front end", "ours-core-nb", "jetty-core", "cpu", {}),
    ("3 Jetty core front end", "ours-core-nb", "ours-core", "rps", {}),
    ("3 Jetty core front end", "ours-core-nb", "ours-core", "cpu", {}),
    ("behind nginx (issue 10)", "ours-nginx-unix", "nginx-uwsgi", "rps", {}),
    ("behind nginx (issue 10)", "ours-nginx-unix", "nginx-uwsgi", "cpu", {}),
    ("behind nginx (issue 10)", "ours-nginx", "nginx-uwsgi", "rps", {}),
    ("the canonical deployment", "ours", "nginx-uwsgi", "rps", {}),
    ("5 virtual threads", "ours-vt", "ours", "rps", {}),
    ("5 virtual threads", "ours-vt", "ours", "cpu", {}),
    ("Python on GraalPy", "ours-python", "uwsgi-p2t2", "rps", {}),
    ("Python on GraalPy", "ours-python", "uwsgi-p2t2", "cpu", {}),
]
MEASURES = {"rps": ("rps", "req/s"), "cpu": ("srv_cpu_us_per_req", "CPU/req")}


def read_runs(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(v):
    return float(v) if v not in (None, "") else None


def medians(rows):
    """{(server, workload): {field: median over rounds}} plus min/max req/s and the round count."""
    groups = {}
    for r in rows:
        groups.setdefault((r["server"], r["workload"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        s = {"n": len(rs)}
        for f in ("rps", "srv_cpu_us_per_req", "p99_ms", "peak_pss_mib", "peak_rss_mib"):
            # a run that completed no request has no CPU per request or latency (the CSV says 0)
            vals = [num(r.get(f)) for r in rs if num(r.get(f)) is not None
                    and (f in ("rps", "peak_pss_mib", "peak_rss_mib") or num(r.get("requests")))]
            s[f] = statistics.median(vals) if vals else None
        rps = [num(r["rps"]) for r in rs]
        s["rps_min"], s["rps_max"] = min(rps), max(rps)
        s["errors"] = sum(int(float(r.get(k) or 0)) for r in rs for k in ("err_connect", "err_write", "err_timeout", "non2xx"))
        out[key] = s
    return out


def server_order(names):
    names = set(names)
    return [n for n in ORDER if n in names] + sorted(names - set(ORDER))


def fmt(x, nd=0):
    if x is None:
        return "-"
    return f"{x:,.{nd}f}"


def record_table(med, servers):
    L = ["| server | " + " | ".join(f"{w.split()[0]} req/s" for _, w in WORKLOADS) + " | "
         + " | ".join(f"{w.split()[0]} CPU µs/req" for _, w in WORKLOADS) + " | "
         + " | ".join(f"{w.split()[0]} p99 ms" for _, w in WORKLOADS) + " | peak PSS MiB (W1) | spread of req/s |",
         "|---|" + "---:|" * 11]
    for n in servers:
        cells = []
        for f, nd in (("rps", 0), ("srv_cpu_us_per_req", 0), ("p99_ms", 2)):
            cells += [fmt(med[(n, w)][f], nd) if (n, w) in med else "-" for w, _ in WORKLOADS]
        pss = med[(n, "hello")]["peak_pss_mib"] if (n, "hello") in med else None
        rounds = max(med[(n, w)]["n"] for w, _ in WORKLOADS if (n, w) in med)
        spreads = [(med[(n, w)]["rps_max"] - med[(n, w)]["rps_min"]) / med[(n, w)]["rps"] * 100
                   for w, _ in WORKLOADS if (n, w) in med and med[(n, w)]["rps"]]
        L.append(f"| {n} | " + " | ".join(cells) + f" | {fmt(pss)} | "
                 + (f"up to {max(spreads):.0f}%" if spreads and rounds > 1 else "-") + " |")
    return L


def goals_table(med):
    L = ["| goal | ratio | " + " | ".join(w.split()[0] for _, w in WORKLOADS) + " | target | met |",
         "|---|---|---:|---:|---:|---|---|"]
    for goal, a, b, measure, targets in GOALS:
        field, label = MEASURES[measure]
        cells, verdicts = [], []
        if not any((a, w) in med and (b, w) in med for w, _ in WORKLOADS):
            continue
        for w, wl in WORKLOADS:
            if (a, w) in med and (b, w) in med and med[(a, w)][field] is not None and med[(b, w)][field]:
                ratio = med[(a, w)][field] / med[(b, w)][field]
                cells.append(f"{ratio:.2f}")
                if w in targets:
                    op, bound = targets[w]
                    ok = ratio >= bound if op == ">=" else ratio <= bound
                    verdicts.append(f"{wl.split()[0]} {'yes' if ok else 'no'}")
            else:
                cells.append("-")
        target = ", ".join(f"{wl.split()[0]} {targets[w][0].replace('>=', '≥').replace('<=', '≤')} {targets[w][1]:.2f}"
                           for w, wl in WORKLOADS if w in targets) or "-"
        L.append(f"| {goal} | {a} / {b}, {label} | " + " | ".join(cells) + f" | {target} | "
                 + (", ".join(verdicts) or "-") + " |")
    return L


def machine_lines(notes):
    keys = ["date", "nproc", "cpu", "mem", "kernel", "os", "java25", "java17", "java_opts", "jetty", "nginx",
            "uwsgi", "wrk", "loadavg_start", "loadavg_end"]
    return [f"- {k}: {notes[k]}" for k in keys if notes.get(k)]


def record_section(run_dir, med, servers, notes):
    L = []
    cmd = os.path.join(run_dir, "command.txt")
    if os.path.exists(cmd):
        with open(cmd) as f:
            lines = f.read().split("\n")
        L += [f"Command: `{lines[0]}`", ""] + [x for x in lines[1:] if x] + [""]
    rounds = max(s["n"] for s in med.values())
    L += [f"Medians of {rounds} round(s); the harness's full tables are in [bench/summary.md](bench/summary.md), "
          "every measured run in [bench/runs.csv](bench/runs.csv).", ""]
    L += record_table(med, servers) + [""]
    L += ["Ratios for issue 15's goals (A / B of the medians above; req/s above 1 and CPU/req below 1 mean A "
          "is better):", ""]
    L += goals_table(med) + [""]
    L += ["![requests per second, per server and workload](bench/throughput.svg)", "",
          "![server CPU time per request](bench/cpu-per-request.svg)", ""]
    if notes:
        L += ["Machine of this run:", ""] + machine_lines(notes) + [""]
    return L


def replace_section(doc, name, lines):
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    if not os.path.exists(doc):
        sys.exit(f"bench/report.py: no {doc} to write the tables into; give --doc FILE, or --doc none")
    with open(doc) as f:
        text = f.read()
    # A marker counts only on a line of its own: the doc's prose may quote it.
    starts = [m.start() for m in re.finditer("^" + re.escape(begin) + "$", text, re.M)]
    ends = [m.start() for m in re.finditer("^" + re.escape(end) + "$", text, re.M)]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        sys.exit(f"bench/report.py: {doc} needs one '{begin}' line and, after it, one '{end}' line")
    i, j = starts[0], ends[0]
    text = text[:i + len(begin)] + "\n" + "\n".join(lines).rstrip("\n") + "\n" + text[j:]
    with open(doc, "w") as f:
        f.write(text)


# ---------------------------------------------------------------- charts (gnuplot)

CHARTS = [("throughput.svg", "rps", "requests per second (median; bar: min-max over rounds)"),
          ("cpu-per-request.svg", "srv_cpu_us_per_req", "server CPU µs per request (median)")]
COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
          "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39"]


def charts(med, servers, out_dir):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        sys.exit("bench/report.py: gnuplot not found; install the Debian package gnuplot-nox")
    width = 360 + 90 * len(servers)
    for fname, field, title in CHARTS:
        # one panel per workload that has figures (a run with --workloads hello has one)
        panels = [(w, wl, [n for n in servers if (n, w) in med and med[(n, w)][field] is not None])
                  for w, wl in WORKLOADS]
        panels = [p for p in panels if p[2]]
        script = [f'set terminal svg size {width},420 dynamic font "sans,11"',
                  f'set output "{os.path.join(os.path.abspath(out_dir), fname)}"',
                  f'set multiplot layout 1,{max(len(panels), 1)} title "{title}"',
                  "set style fill solid 0.85 border -1", "set boxwidth 0.8", "unset key",
                  "set xtics rotate by -45 nomirror font ',9'", "set ytics nomirror", "set grid ytics",
                  "set yrange [0:*]", "set format y '%.0f'", "set lmargin 9", "set bmargin 8"]
        for w, wl, names in panels:
            # inline data blocks, not temporary files: their paths would end up in the SVG
            block = [f"${w} << EOD"]
            for i, n in enumerate(names):
                s = med[(n, w)]
                lo, hi = (s["rps_min"], s["rps_max"]) if field == "rps" else (s[field], s[field])
                color = int(COLORS[servers.index(n) % len(COLORS)][1:], 16)
                block.append(f'{i} "{n}" {s[field]:.3f} {lo:.3f} {hi:.3f} {color}')
            script += block + ["EOD"]
            script.append(f'set title "{wl}"')
            script.append(f"set xrange [-0.6:{len(names) - 0.4}]")
            bars = f'plot ${w} using 1:3:6:xtic(2) with boxes lc rgb variable'
            if field == "rps":
                bars += f', ${w} using 1:3:4:5 with yerrorbars lc rgb "black" pt -1'
            script.append(bars)
        script.append("unset multiplot")
        subprocess.run([gnuplot], input="\n".join(script) + "\n", text=True, check=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run_dir", help="folder with runs.csv (and summary.json, command.txt, slow.md)")
    ap.add_argument("--doc", default=None, help="the doc whose marked sections to replace "
                    "(default docs/BENCHMARKS.md beside the run folder; 'none' for charts only)")
    ap.add_argument("--svg-dir", default=None, help="where the charts go (default: the run folder)")
    args = ap.parse_args()
    run_dir = args.run_dir
    doc = args.doc or os.path.join(os.path.dirname(os.path.abspath(run_dir)), "BENCHMARKS.md")
    runs = os.path.join(run_dir, "runs.csv")
    if os.path.exists(runs):
        med = medians(read_runs(runs))
        servers = server_order({n for n, _ in med})
        notes = {}
        sj = os.path.join(run_dir, "summary.json")
        if os.path.exists(sj):
            with open(sj) as f:
                notes = json.load(f).get("notes", {})
        charts(med, servers, args.svg_dir or run_dir)
        if doc != "none":
            replace_section(doc, "record", record_section(run_dir, med, servers, notes))
    slow = os.path.join(run_dir, "slow.md")
    if doc != "none" and os.path.exists(slow):
        with open(slow) as f:
            replace_section(doc, "slow", f.read().split("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
