#!/usr/bin/env bash
# The run of record for docs/BENCHMARKS.md, in one command (run from anywhere; it works in the
# project folder that holds this script):
#   bench/run.sh                       # the default rows, 2 rounds, 8 s warm-up, 10 s measured,
#                                      # then bench/slow.sh (--no-slow: not)
#   bench/run.sh --quick --only ours,jetty-servlet     # smoke test (1 round, 3 s, 1 s warm-up)
#   bench/run.sh --estimate            # print the rows and the expected duration, run nothing
# It copies the shared harness (read-only; --harness DIR, env WSGI4J_BENCH_HARNESS, default
# ../shared/bench beside the project or its main git worktree) to a scratch folder, appends
# bench/servers-wsgi4j.ini, builds the server jar and BenchApp when they are missing or older than the sources, runs
# anchors.sh, then (unless --no-record; --quick runs record only with --record) copies the
# run's summary.md, summary.json and runs.csv to docs/bench/ with machine paths replaced by
# ${BENCH}/${PROJECT}/${RUN}/${BUILD}, and runs bench/report.py: the tables section of
# docs/BENCHMARKS.md and the charts docs/bench/*.svg.
# --out DIR: the harness's results folder (default ${BENCH_RUN}/results/<UTC time>). Other
# options are passed to anchors.sh (--workloads, --skip, --no-install, ...).
# Scratch folders (env): BENCH_COPY (the harness copy, default /tmp/wsgi4j-bench-copy),
# BENCH_RUN (default /tmp/wsgi4j-bench-run), BENCH_BUILD (default /tmp/wsgi4j-bench-build).
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$PROJECT"

# The rows of record. jetty-core serves W1 only; ours-python is left out (GraalPy interpreted
# needs minutes of warm-up, the harness has one warm-up for all rows: see docs/BENCHMARKS.md).
DEFAULT_ROWS=ours,ours-core,ours-core-nb,ours-vt,ours-nginx,ours-nginx-unix,jetty-servlet,jetty-core,uwsgi-p2t2,nginx-uwsgi
HARNESS="${WSGI4J_BENCH_HARNESS:-$PROJECT/../shared/bench}"
if [ -z "${WSGI4J_BENCH_HARNESS:-}" ] && [ ! -d "$HARNESS" ]; then
  # in a git worktree elsewhere: beside the repository's main worktree
  MAIN="$(cd "$(git rev-parse --git-common-dir)/.." && pwd)"
  HARNESS="$MAIN/../shared/bench"
fi
COPY="${BENCH_COPY:-/tmp/wsgi4j-bench-copy}"
export BENCH_RUN="${BENCH_RUN:-/tmp/wsgi4j-bench-run}"
export BENCH_BUILD="${BENCH_BUILD:-/tmp/wsgi4j-bench-build}"
export BENCH_PROJECT="$PROJECT"
ROWS=""; OUT=""; SLOW=""; ROUNDS=2; WARMUP=8; DURATION=10; QUICK=""; RECORD=""; ESTIMATE=""; BUILD=1
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --harness) HARNESS="$2"; shift ;;
    --only) ROWS="$2"; shift ;;
    --rounds) ROUNDS="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --quick) QUICK=1; ROUNDS=1; WARMUP=1; DURATION=3 ;;
    --record) RECORD=1 ;;
    --no-record) RECORD=0 ;;
    --no-build) BUILD=0 ;;
    --slow) SLOW=1 ;;
    --no-slow) SLOW=0 ;;
    --estimate) ESTIMATE=1 ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --out) OUT="$2"; shift ;;
    --workloads|--skip) PASS+=("$1" "$2"); shift ;;
    *) PASS+=("$1") ;;
  esac
  shift
done
[ -n "$RECORD" ] || { [ -n "$QUICK" ] && RECORD=0 || RECORD=1; }
# the slow-request table belongs to the run of record: the default rows, recorded
[ -n "$SLOW" ] || { [ "$RECORD" = 1 ] && [ -z "$ROWS" ] && [ -z "$QUICK" ] && SLOW=1 || SLOW=0; }
[ -x "$HARNESS/anchors.sh" ] || { echo "bench/run.sh: no harness at $HARNESS (anchors.sh missing); give --harness DIR" >&2; exit 2; }

# A fresh copy every time, so a changed harness or servers-wsgi4j.ini is what runs.
rm -rf "$COPY"
cp -r "$HARNESS" "$COPY"
chmod -R u+w "$COPY"
cat bench/servers-wsgi4j.ini >> "$COPY/servers.ini"

KNOWN=$(python3 "$COPY/lib/bench.py" --list | awk '{print $1}')
WANT=${ROWS:-$DEFAULT_ROWS}
SELECTED=(); MISSING=()
for r in ${WANT//,/ }; do
  if grep -qx "$r" <<<"$KNOWN"; then SELECTED+=("$r"); else MISSING+=("$r"); fi
done
if [ ${#MISSING[@]} -gt 0 ]; then
  if [ -n "$ROWS" ]; then echo "bench/run.sh: unknown row(s): ${MISSING[*]}; known: $(echo $KNOWN)" >&2; exit 2; fi
  echo "note: default row(s) not defined in bench/servers-wsgi4j.ini, left out: ${MISSING[*]}"
fi
[ ${#SELECTED[@]} -gt 0 ] || { echo "bench/run.sh: no rows to run" >&2; exit 2; }
ONLY=$(IFS=,; echo "${SELECTED[*]}")
if [[ ",$ONLY," == *,ours-python* ]]; then
  # GraalPy imports the application into a context per processor before the server listens:
  # interpreted, that outlasts the harness's 60 s start-up limit on a busy machine
  sed -i 's/^ready_timeout = .*/ready_timeout = 300/' "$COPY/servers.ini"
  echo "note: ours-python rows: the harness waits up to 300 s for a server to start (ready_timeout)"
fi

# Duration: per row and round, its workloads x (warm-up + measured + ~1.5 s of checks) plus
# ~10 s to start, validate and stop it; the harness may wait up to 8 s per run for a quiet machine.
LIST_ARGS=(); for a in "${PASS[@]}"; do [ "$a" = --no-install ] || LIST_ARGS+=("$a"); done
LISTING=$(python3 "$COPY/lib/bench.py" --list --only "$ONLY" "${LIST_ARGS[@]}")
RUNS=0
while read -r name _ _ rest; do
  [ -n "$name" ] || continue
  n=0; for w in hello echo stream; do grep -qw "$w" <<<"${rest%%  *}" && n=$((n + 1)); done
  RUNS=$((RUNS + n))
done <<<"$LISTING"
EST=$(( ROUNDS * (RUNS * (WARMUP + DURATION + 2) + ${#SELECTED[@]} * 10) ))
WORST=$(( EST + ROUNDS * RUNS * 8 ))
# bench/slow.sh: 3 modes x (start, 3 s warm-up, 20 s, stop)
[ "$SLOW" = 0 ] || { EST=$((EST + 100)); WORST=$((WORST + 150)); }
echo "rows: $ONLY$([ "$SLOW" = 0 ] || echo ', then bench/slow.sh')"
echo "$ROUNDS round(s) x $RUNS runs, --warmup $WARMUP --duration $DURATION:" \
     "about $((EST / 60)) min $((EST % 60)) s (up to $((WORST / 60)) min if the machine is busy)"
[ -z "$ESTIMATE" ] || exit 0

if [ "$BUILD" = 1 ]; then
  JAR=src/server/target/wsgi4j-server.jar
  APP=src/server/target/test-classes/org/wsgi4j/jetty/BenchApp.class
  STALE=""
  if [ ! -f "$JAR" ] || [ ! -f "$APP" ]; then
    STALE="missing"
  elif [ -n "$(find src/core/src/main src/servlet/src/main src/uwsgi/src/main src/server/src/main \
                    src/server/src/test/java/org/wsgi4j/jetty/BenchApp.java -newer "$JAR" -type f -print -quit)" ]; then
    STALE="older than the sources"
  fi
  if [ -n "$STALE" ]; then
    echo "building the server jar and BenchApp ($STALE): mvn -B -q -pl src/server -am package -DskipTests"
    mvn -B -q -pl src/server -am package -DskipTests -Dwsgi4j.fuzz.skip=true
  fi
fi

OUT="${OUT:-$BENCH_RUN/results/$(date -u +%Y%m%dT%H%M%SZ)}"
uptime
( cd "$PROJECT" && "$COPY/anchors.sh" --only "$ONLY" --rounds "$ROUNDS" --warmup "$WARMUP" \
      --duration "$DURATION" --out "$OUT" "${PASS[@]}" )
uptime

if [ "$RECORD" = 1 ]; then
  mkdir -p docs/bench
  for f in summary.md summary.json runs.csv; do
    # no machine paths in the repository: the harness copy and the project are already written
    # as ${BENCH} and ${PROJECT} by the harness; the run and build folders are not
    sed -e "s#$BENCH_RUN#\${RUN}#g" -e "s#$BENCH_BUILD#\${BUILD}#g" -e "s#$COPY#\${BENCH}#g" \
        -e "s#$PROJECT#\${PROJECT}#g" "$OUT/$f" > "docs/bench/$f"
  done
  {
    echo "bench/run.sh --only $ONLY --rounds $ROUNDS --warmup $WARMUP --duration $DURATION ${PASS[*]}"
    echo "project commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (with uncommitted changes in src/)')"
  } > docs/bench/command.txt
  python3 bench/report.py docs/bench
  echo "recorded: docs/bench/{summary.md,summary.json,runs.csv,command.txt,*.svg} and the tables of docs/BENCHMARKS.md"
  if [ "$SLOW" = 1 ]; then
    bench/slow.sh
  fi
else
  echo "results: $OUT (not recorded in docs/bench; --record to record a --quick run)"
fi
