#!/bin/bash
# nginx -> uwsgi_pass unix socket -> wsgi4j-server --uwsgi (or uWSGI 2x2 with SERVER=uwsgi), hello under
# wrk: CPU per request of the server's process tree and of nginx's, syscalls and context switches per
# request (perf stat on the syscall tracepoints: counted in the kernel, the server runs at full speed),
# and with AP set an async-profiler CPU profile of the wsgi4j process (collapsed stacks, per thread;
# bench/uwsgi-shares.py sorts them), then strace -c as a cross-check (slows the server: counts only).
#   [SERVER=uwsgi] [CONNS=64] [AP=.../libasyncProfiler.so] [PROJ=checkout] bench/uwsgi-perf.sh TAG
#   -> /tmp/uwsgi-perf/TAG/summary.txt (and ap.collapsed, strace.txt, perfstat.txt)
# CONNS=2 leaves the server idle between requests, as on a quiet machine: then every request wakes the
# selector and a worker, and those wake-ups are most of its CPU. Needs the jar and BenchApp built
# (mvn -B -q -o package -DskipTests -pl src/server -am), Temurin 25, nginx, wrk, perf, strace, uwsgi.
set -u
TAG=$1
HERE=$(cd "$(dirname "$0")" && pwd)
PROJ=${PROJ:-$(dirname "$HERE")}
BENCH=${BENCH:-$(python3 -c "import sys; sys.path.insert(0, '$HERE'); import benchlib; print(benchlib.harness())")}
PORT=${PORT:-18820}; CONNS=${CONNS:-64}; WARM=${WARM:-20}; DUR=${DUR:-10}
D=/tmp/uwsgi-perf/$TAG; rm -rf "$D"; mkdir -p "$D/tmp"
JAVA=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
sed -e "s#@SRVDIR@#$D#g" -e "s#@PORT@#$PORT#g" -e 's#user www-data;#user root;#' "$BENCH/conf/nginx-uwsgi.conf" > "$D/nginx.conf"
sed -e "s#@SRVDIR@#$D#g" "$BENCH/conf/nginx-common.inc" > "$D/nginx-common.inc"
if [ "${SERVER:-ours}" = uwsgi ]; then
  uwsgi --plugin python3 --master --die-on-term --need-app --disable-logging --thunder-lock --chdir "$BENCH/apps" \
    --wsgi-file "$BENCH/apps/wsgi_app.py" --socket "$D/uwsgi.sock" --processes 2 --threads 2 > "$D/server.log" 2>&1 &
else
  "$JAVA" -Xms64m -Xmx512m -jar "$PROJ/src/server/target/wsgi4j-server.jar" --uwsgi "unix:$D/uwsgi.sock" ${ARGS:-} \
    --classpath "$PROJ/src/server/target/test-classes" --mount /=org.wsgi4j.jetty.BenchApp > "$D/server.log" 2>&1 &
fi
SPID=$!
for _ in $(seq 100); do [ -S "$D/uwsgi.sock" ] && break; sleep 0.1; done
nginx -c "$D/nginx.conf" -g "daemon off;" > "$D/nginx.out" 2>&1 &
NPID=$!
sleep 1
W="wrk -t$((CONNS < 2 ? 1 : 2)) -c$CONNS -s $BENCH/lib/bench.lua http://127.0.0.1:$PORT/"
requests() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().split("BENCHJSON ",1)[1].splitlines()[0])["requests"])' < "$1"; }
tree() { echo "$1"; for c in $(pgrep -P "$1"); do tree "$c"; done; }
ticks() { local t=0 f; for p in "$@"; do f=($(sed 's/.*) //' "/proc/$p/stat")); t=$((t + f[11] + f[12])); done; echo $t; }
$W -d${WARM}s > /dev/null
SP=$(tree $SPID); NP=$(tree $NPID); HZ=$(getconf CLK_TCK)
s0=$(ticks $SP); n0=$(ticks $NP)
$W -d${DUR}s > "$D/wrk-cpu.txt"
s1=$(ticks $SP); n1=$(ticks $NP); R=$(requests "$D/wrk-cpu.txt")
echo "$R requests in ${DUR}s, $CONNS connections: server $(( (s1 - s0) * 1000000 / HZ / R )) us of CPU per request," \
     "nginx $(( (n1 - n0) * 1000000 / HZ / R )); load $(cut -d' ' -f1-3 /proc/loadavg)" > "$D/summary.txt"
EV=context-switches
for e in accept accept4 read write writev close fcntl futex epoll_wait epoll_ctl getsockname; do EV=$EV,syscalls:sys_enter_$e; done
perf stat -x, -e "$EV" -p "$(echo $SP | tr ' ' ,)" -o "$D/perfstat.txt" -- sleep $((DUR / 2 + 1)) & PS=$!
$W -d$((DUR / 2))s > "$D/wrk-perfstat.txt"; wait $PS
R=$(requests "$D/wrk-perfstat.txt"); echo "per request (perf stat, $R requests):" >> "$D/summary.txt"
awk -F, -v r="$R" '$1 ~ /^[0-9]+$/ && $1 > 0 {sub("syscalls:sys_enter_", "", $3); printf "  %-16s %6.2f\n", $3, $1 / r}' \
    "$D/perfstat.txt" >> "$D/summary.txt"
if [ -n "${AP:-}" ] && [ "${SERVER:-ours}" != uwsgi ]; then
  JCMD=$(dirname "$JAVA")/jcmd
  # jcmd reads key=value pairs: the agent's options go in quotes.
  "$JCMD" $SPID JVMTI.agent_load "$AP" "\"start,event=cpu,interval=200us\"" > /dev/null
  $W -d${DUR}s > "$D/wrk-ap.txt"
  "$JCMD" $SPID JVMTI.agent_load "$AP" "\"stop,file=$D/ap.collapsed,collapsed,threads\"" > /dev/null
  echo "async-profiler run: $(requests "$D/wrk-ap.txt") requests -> ap.collapsed" >> "$D/summary.txt"
fi
strace -c -f $(for p in $SP; do echo -p $p; done) -o "$D/strace.txt" 2> /dev/null & ST=$!
sleep 1
$W -d5s > "$D/wrk-strace.txt"
sleep 0.5; kill -INT $ST; wait $ST
echo "strace -c run: $(requests "$D/wrk-strace.txt") requests -> strace.txt" >> "$D/summary.txt"
kill $NPID $SPID; wait
cat "$D/summary.txt"
