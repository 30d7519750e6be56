#!/usr/bin/env bash
# 10,000 concurrent slow requests against wsgi4j-server in each thread mode: what each holds.
# The application is BenchApp's GET /slow (src/server test classes): 200 ms asleep, then 5 bytes.
# For each mode: start the server (GC log on), 3 s of warm-up at 200 connections (wrk), then the
# load for --seconds while sampling the server's threads and RSS (/proc/PID/status, every 0.25 s),
# counting the CPU time of each side and the GC log's pauses; stop it. The load (--client):
# wrk (default): `wrk -t2 -c<connections> --timeout 10s`, which opens all its connections at its
# first instant and measures from there, so with more connections than the accept queue holds
# (net.core.somaxconn) refused SYNs retried after 1, 3, 7 s count as latency; java:
# bench/SlowClient.java, which opens every connection and has each answered once before the
# measured window begins (it costs more CPU than wrk, on the same cores as the server).
# Writes a Markdown table to docs/bench/slow.md (--out FILE) and into docs/BENCHMARKS.md
# (bench/report.py). Run from anywhere:
#   bench/slow.sh                                   # all modes, 10,000 connections, 20 s each
#   bench/slow.sh --modes virtual --connections 2000 --seconds 5 --out /tmp/slow.md
#   bench/slow.sh --server-args "--header-cache-size 1k" --out /tmp/slow.md   # Jetty's header cache
#   bench/slow.sh --client java --out /tmp/slow.md        # the window after every connection is open
# Modes: platform (--no-virtual-threads, the default pool of 200), platform-10k
# (--no-virtual-threads --threads 10000), virtual (--virtual-threads). --server-args: more flags
# for every mode. Needs wrk and a JDK 21+ for virtual (default Temurin 25, --java JAVA); raises
# `ulimit -n` for itself and the server.
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$PROJECT"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CONNECTIONS=10000; SECONDS_MEASURED=20; CLIENT=wrk; MODES="platform,platform-10k,virtual"; PORT=18160
OUT=docs/bench/slow.md; SERVER_ARGS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --seconds) SECONDS_MEASURED="$2"; shift ;;
    --modes) MODES="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --server-args) SERVER_ARGS="$2"; shift ;;
    --client) CLIENT="$2"; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/slow.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$CLIENT" in java|wrk) ;; *) echo "bench/slow.sh: --client must be java or wrk" >&2; exit 2 ;; esac
command -v wrk >/dev/null || { echo "bench/slow.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/slow.sh: /usr/bin/time not found (apt-get install time)" >&2; exit 2; }
# wrk and the server each hold one descriptor per connection (the limit is per process)
ulimit -n $((CONNECTIONS + 4096)) || { echo "bench/slow.sh: cannot raise ulimit -n to $((CONNECTIONS + 4096)) (hard limit $(ulimit -Hn))" >&2; exit 2; }
JAR=src/server/target/wsgi4j-server.jar
APP=src/server/target/test-classes/org/wsgi4j/jetty/BenchApp.class
if [ ! -f "$JAR" ] || [ ! -f "$APP" ] || [ src/server/src/test/java/org/wsgi4j/jetty/BenchApp.java -nt "$APP" ]; then
  echo "building: mvn -B -q -pl src/server -am package -DskipTests"
  mvn -B -q -pl src/server -am package -DskipTests -Dwsgi4j.fuzz.skip=true
fi
WORK=target/bench-slow; mkdir -p "$WORK"
# the listen backlog: enough for every connection, within what the kernel allows
SOMAXCONN=$(cat /proc/sys/net/core/somaxconn)
BACKLOG=$(( CONNECTIONS < 65535 ? CONNECTIONS : 65535 ))

flags() {
  case "$1" in
    platform) echo "--no-virtual-threads" ;;
    platform-10k) echo "--no-virtual-threads --threads 10000" ;;
    virtual) echo "--virtual-threads" ;;
    *) echo "bench/slow.sh: unknown mode $1 (platform, platform-10k, virtual)" >&2; return 2 ;;
  esac
}

# wrk's latency ("512.00us", "201.35ms", "1.20s", "2.00m") in ms
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; u = v; sub(/^[0-9.]+/, "", u);
  if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000; printf "%.0f", n }'; }

# the kernel's count of connections dropped because an accept queue was full (this network
# namespace, all listeners): a client then retries its SYN after 1 s, 3 s, ...
# CPU seconds (user + system) a process has used so far
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$1/stat"; }

overflows() { awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; h = 1 }
                               else print $c }' /proc/net/netstat; }

ROWS=(); RAMPS=()
PID=""; SAMPLER=""; CLIENT_PID=""
trap 'kill $CLIENT_PID $SAMPLER $PID 2>/dev/null || true' EXIT
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for mode in ${MODES//,/ }; do
  FLAGS=$(flags "$mode")${SERVER_ARGS:+ $SERVER_ARGS}
  LOG="$WORK/server-$mode.log"; GCLOG="$WORK/gc-$mode.log"
  # shellcheck disable=SC2086
  "$JAVA" -Xms64m -Xmx512m -Xlog:gc:file="$GCLOG" -jar "$JAR" --http 127.0.0.1:$PORT --listen $BACKLOG --graceful-timeout 1 $FLAGS \
      --classpath src/server/target/test-classes --mount /=org.wsgi4j.jetty.BenchApp > "$LOG" 2>&1 &
  PID=$!; BEGAN=$SECONDS
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/" && break
    kill -0 $PID 2>/dev/null || { cat "$LOG" >&2; exit 1; }
    sleep 0.25
  done
  echo "$mode: ready in $((SECONDS - BEGAN)) s" >&2
  wrk -t2 -c200 -d3s "http://127.0.0.1:$PORT/slow" > /dev/null
  SAMPLES="$WORK/samples-$mode.txt"; : > "$SAMPLES"
  ( while kill -0 $PID 2>/dev/null; do
      awk '/^Threads:/ {t = $2} /^VmRSS:/ {r = $2} END {print t, r}' /proc/$PID/status >> "$SAMPLES" 2>/dev/null || true
      sleep 0.25
    done ) &
  SAMPLER=$!
  CLIENT_OUT="$WORK/client-$mode.txt"
  if [ "$CLIENT" = wrk ]; then
    /usr/bin/time -f "client CPU: %U %S" wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" --timeout 10s --latency \
        "http://127.0.0.1:$PORT/slow" > "$CLIENT_OUT" 2>&1 &
  else
    "$JAVA" -Xms64m -Xmx512m bench/SlowClient.java 127.0.0.1 "$PORT" /slow "$CONNECTIONS" "$SECONDS_MEASURED" 10 60 \
        > "$CLIENT_OUT" 2>&1 &
  fi
  CLIENT_PID=$!
  # the measured window: from wrk's start; SlowClient's once its ramp is over (its "ramp:" line)
  if [ "$CLIENT" = java ]; then
    while kill -0 $CLIENT_PID 2>/dev/null && ! grep -q '^ramp:' "$CLIENT_OUT"; do sleep 0.1; done
  fi
  OVERFLOWS=$(overflows); CPU_BEFORE=$(cpu_seconds $PID); GC_BEFORE=$(wc -l < "$GCLOG")
  wait $CLIENT_PID || true; CLIENT_PID=""
  WRK_OUT=$(cat "$CLIENT_OUT")
  SERVER_CPU=$(awk -v a="$CPU_BEFORE" -v b="$(cpu_seconds $PID)" 'BEGIN {printf "%.1f", b - a}')
  kill $SAMPLER 2>/dev/null || true; wait $SAMPLER 2>/dev/null || true; SAMPLER=""
  OVERFLOWS=$(( $(overflows) - OVERFLOWS ))
  # the GC log's lines of the measured run ("... Pause Young (Normal) (G1 Evacuation Pause) 140M->138M(305M) 26.4ms"):
  # the most heap still in use after a collection, and the time the application stood still
  GC=$(tail -n +$((GC_BEFORE + 1)) "$GCLOG" | awk '/ Pause / { split($(NF-1), h, /->|\(/); after = h[2] + 0;
         if (after > max) max = after; ms = $NF; sub(/ms$/, "", ms); pause += ms; if (/Pause Full/) full++ }
         END { printf "%d|%.1f|%d", max, pause / 1000, full }')
  # stop: SIGTERM drains (at most --graceful-timeout, 1 s here); then SIGKILL what is left
  STOP=$SECONDS; kill $PID
  for _ in $(seq 1 60); do kill -0 $PID 2>/dev/null || break; sleep 0.25; done
  kill -9 $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; PID=""
  echo "$mode: stopped in $((SECONDS - STOP)) s" >&2
  RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$WRK_OUT")
  REQUESTS=$(awk '/requests in/ {print $1}' <<<"$WRK_OUT")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$WRK_OUT")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$WRK_OUT")")
  ERRORS=$(awk '/Socket errors:/ {gsub(",", ""); print $4 "/" $6 "/" $8 "/" $10}' <<<"$WRK_OUT")
  NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$WRK_OUT")
  CLIENT_CPU=$(awk '$1 == "client" && $2 == "CPU:" {printf "%.1f", $3 + $4}' <<<"$WRK_OUT")
  RAMP=$(awk '$1 == "ramp:" {for (i = 3; i <= NF; i++) if ($i == "ms") t = $(i - 1); printf "%d connections in %.1f s", $2, t / 1000}' <<<"$WRK_OUT")
  CPU_PER_REQUEST=$(awk -v s="$SERVER_CPU" -v n="${REQUESTS:-0}" 'BEGIN {if (n > 0) printf "%.0f", s * 1e6 / n; else print "-"}')
  THREADS=$(awk 'max < $1 {max = $1} END {print max + 0}' "$SAMPLES")
  RSS=$(awk 'max < $2 {max = $2} END {printf "%.0f", max / 1024}' "$SAMPLES")
  ROWS+=("| $mode | \`$FLAGS\` | ${REQUESTS:-0} | ${RPS:-0} | ${P50:--} | ${P99:--} | ${ERRORS:-0/0/0/0} | ${NON2XX:-0} | $THREADS | $RSS | ${GC%%|*} | $(cut -d'|' -f2 <<<"$GC") | $(cut -d'|' -f3 <<<"$GC") | $SERVER_CPU | $CPU_PER_REQUEST | ${CLIENT_CPU:--} | $OVERFLOWS |")
  [ -z "$RAMP" ] || RAMPS+=("$mode: $RAMP")
  echo "${ROWS[-1]}"
done

mkdir -p "$(dirname "$OUT")"
{
  echo "Command: \`bench/slow.sh --connections $CONNECTIONS --seconds $SECONDS_MEASURED --modes $MODES$([ "$CLIENT" = wrk ] || echo " --client $CLIENT")${SERVER_ARGS:+ --server-args \"$SERVER_ARGS\"}\`"
  echo "($(date -u +%Y-%m-%d), $("$JAVA" -version 2>&1 | head -1), \`-Xms64m -Xmx512m\`, \`--listen $BACKLOG --graceful-timeout 1\`"
  echo "(net.core.somaxconn $SOMAXCONN), $(nproc) cores, load average $START_LOAD at the start;"
  if [ "$CLIENT" = java ]; then
    echo "\`GET /slow\` sleeps 200 ms; load: bench/SlowClient.java, $CONNECTIONS kept-alive connections each asking again"
    echo "as soon as answered, 10 s timeout, measured for ${SECONDS_MEASURED} s once every connection is open and has"
    echo "been answered once (ramp: ${RAMPS[*]:-none}); before that 3 s of warm-up with \`wrk -c200\`)."
  else
    echo "\`GET /slow\` sleeps 200 ms; \`wrk -t2 -c$CONNECTIONS --timeout 10s\`, ${SECONDS_MEASURED} s after 3 s of warm-up at 200"
    echo "connections; wrk measures from the instant it opens its connections)."
  fi
  echo "At most $CONNECTIONS / 0.2 s = $((CONNECTIONS * 5)) req/s if every connection were served at once."
  echo
  echo "| mode | flags | requests | req/s | p50 ms | p99 ms | socket errors c/r/w/timeout | non-2xx | peak threads | peak RSS MiB | heap after GC MiB | GC pauses s | full GCs | server CPU s | server CPU µs/req | client CPU s | listen overflows |"
  echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Peak threads and RSS: the server process's Threads and VmRSS in /proc/PID/status, sampled every 0.25 s"
  echo "during the run. Latencies count completed requests only: see the timeouts column."
  echo "Heap after GC: the most heap in use after any collection of the measured run (\`-Xlog:gc\`), of 512 MiB;"
  echo "GC pauses: the time the application stood still in them. CPU: user + system seconds of the server"
  echo "(/proc/PID/stat) and of the load generator during the measured window, of at most $(nproc) x ${SECONDS_MEASURED} s"
  echo "for the two together (both run on this machine's $(nproc) cores);"
  echo "µs/req: the server's CPU time per completed request."
  echo "Listen overflows: connection attempts the kernel dropped during the measured run because the accept"
  echo "queue was full (ListenOverflows in /proc/net/netstat; the client retries after 1 s, 3 s, ...): if not 0,"
  echo "part of the latency is connection set-up, not the server's thread mode."
} > "$OUT"
echo "wrote $OUT"
if [ "$OUT" = docs/bench/slow.md ]; then
  python3 bench/report.py docs/bench
fi
