#!/usr/bin/env bash
# 10,000 concurrent slow requests against wsgi4j-server in each thread mode: what each holds.
# The application is BenchApp's GET /slow (src/server test classes): 200 ms asleep, then 5 bytes.
# For each mode: start the server, 3 s of warm-up at 200 connections, then `wrk -t2
# -c<connections> --timeout 10s` for --seconds while sampling the server's threads and RSS
# (/proc/PID/status, every 0.25 s); stop it. Writes a Markdown table to docs/bench/slow.md
# (--out FILE) and into docs/BENCHMARKS.md (bench/report.py). Run from anywhere:
#   bench/slow.sh                                   # all modes, 10,000 connections, 20 s each
#   bench/slow.sh --modes virtual --connections 2000 --seconds 5 --out /tmp/slow.md
# Modes: platform (--no-virtual-threads, the default pool of 200), platform-10k
# (--no-virtual-threads --threads 10000), virtual (--virtual-threads). Needs wrk and a JDK 21+
# for virtual (default Temurin 25, --java JAVA); raises `ulimit -n` for itself and the server.
set -euo pipefail
PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$PROJECT"
JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
CONNECTIONS=10000; SECONDS_MEASURED=20; MODES="platform,platform-10k,virtual"; PORT=18160
OUT=docs/bench/slow.md
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --seconds) SECONDS_MEASURED="$2"; shift ;;
    --modes) MODES="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/slow.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v wrk >/dev/null || { echo "bench/slow.sh: wrk not found (apt-get install wrk)" >&2; exit 2; }
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
overflows() { awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "ListenOverflows") c = i; h = 1 }
                               else print $c }' /proc/net/netstat; }

ROWS=()
PID=""; SAMPLER=""
trap 'kill $SAMPLER $PID 2>/dev/null || true' EXIT
START_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
for mode in ${MODES//,/ }; do
  FLAGS=$(flags "$mode")
  LOG="$WORK/server-$mode.log"
  # shellcheck disable=SC2086
  "$JAVA" -Xms64m -Xmx512m -jar "$JAR" --http 127.0.0.1:$PORT --listen $BACKLOG --graceful-timeout 1 $FLAGS \
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
  OVERFLOWS=$(overflows)
  ( while kill -0 $PID 2>/dev/null; do
      awk '/^Threads:/ {t = $2} /^VmRSS:/ {r = $2} END {print t, r}' /proc/$PID/status >> "$SAMPLES" 2>/dev/null || true
      sleep 0.25
    done ) &
  SAMPLER=$!
  WRK_OUT=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" --timeout 10s --latency "http://127.0.0.1:$PORT/slow" 2>&1 || true)
  kill $SAMPLER 2>/dev/null || true; wait $SAMPLER 2>/dev/null || true; SAMPLER=""
  OVERFLOWS=$(( $(overflows) - OVERFLOWS ))
  # stop: SIGTERM drains (at most --graceful-timeout, 1 s here); then SIGKILL what is left
  STOP=$SECONDS; kill $PID
  for _ in $(seq 1 60); do kill -0 $PID 2>/dev/null || break; sleep 0.25; done
  kill -9 $PID 2>/dev/null || true; wait $PID 2>/dev/null || true; PID=""
  echo "$mode: stopped in $((SECONDS - STOP)) s" >&2
  echo "$WRK_OUT" > "$WORK/wrk-$mode.txt"
  RPS=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$WRK_OUT")
  REQUESTS=$(awk '/requests in/ {print $1}' <<<"$WRK_OUT")
  P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$WRK_OUT")")
  P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$WRK_OUT")")
  ERRORS=$(awk '/Socket errors:/ {gsub(",", ""); print $4 "/" $6 "/" $8 "/" $10}' <<<"$WRK_OUT")
  NON2XX=$(awk '/Non-2xx/ {print $NF}' <<<"$WRK_OUT")
  THREADS=$(awk 'max < $1 {max = $1} END {print max + 0}' "$SAMPLES")
  RSS=$(awk 'max < $2 {max = $2} END {printf "%.0f", max / 1024}' "$SAMPLES")
  ROWS+=("| $mode | \`$FLAGS\` | ${REQUESTS:-0} | ${RPS:-0} | ${P50:--} | ${P99:--} | ${ERRORS:-0/0/0/0} | ${NON2XX:-0} | $THREADS | $RSS | $OVERFLOWS |")
  echo "${ROWS[-1]}"
done

mkdir -p "$(dirname "$OUT")"
{
  echo "Command: \`bench/slow.sh --connections $CONNECTIONS --seconds $SECONDS_MEASURED --modes $MODES\`"
  echo "($(date -u +%Y-%m-%d), $("$JAVA" -version 2>&1 | head -1), \`-Xms64m -Xmx512m\`, \`--listen $BACKLOG --graceful-timeout 1\`"
  echo "(net.core.somaxconn $SOMAXCONN), $(nproc) cores, load average $START_LOAD at the start;"
  echo "\`GET /slow\` sleeps 200 ms; \`wrk -t2 -c$CONNECTIONS --timeout 10s\`, ${SECONDS_MEASURED} s after 3 s of warm-up at 200"
  echo "connections). At most $CONNECTIONS / 0.2 s = $((CONNECTIONS * 5)) req/s if every connection were served at once."
  echo
  echo "| mode | flags | requests | req/s | p50 ms | p99 ms | socket errors c/r/w/timeout | non-2xx | peak threads | peak RSS MiB | listen overflows |"
  echo "|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "Peak threads and RSS: the server process's Threads and VmRSS in /proc/PID/status, sampled every 0.25 s"
  echo "during the measured run. wrk's latencies count completed requests only: see the timeouts column."
  echo "Listen overflows: connection attempts the kernel dropped during the measured run because the accept"
  echo "queue was full (ListenOverflows in /proc/net/netstat; the client retries after 1 s, 3 s, ...): if not 0,"
  echo "part of the latency is connection set-up, not the server's thread mode."
} > "$OUT"
echo "wrote $OUT"
if [ "$OUT" = docs/bench/slow.md ]; then
  python3 bench/report.py docs/bench
fi
