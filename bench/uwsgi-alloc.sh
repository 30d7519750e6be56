#!/bin/bash
# Bytes allocated and syscalls made per request of nginx -> uwsgi (unix socket) -> wsgi4j: both
# figures do not depend on the machine's load. After a warm-up, one wrk run of W (hello, echo or
# stream) is recorded with JFR (the sum of jdk.ObjectAllocationSample weights estimates the bytes
# allocated) and, in a second run, counted by `strace -f -c`; each is divided by wrk's request count.
#   [PROJ=dir] [W=hello] [PORT=18951] bench/uwsgi-alloc.sh TAG   -> /tmp/uwsgi-alloc/TAG/
set -u
TAG=$1; W=${W:-hello}
PROJ=${PROJ:-$(cd "$(dirname "$0")/.." && pwd)}
BENCH=${BENCH:-$PROJ/../shared/bench}
PORT=${PORT:-18951}
JAVA=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
D=/tmp/uwsgi-alloc/$TAG; mkdir -p "$D/tmp"; rm -f "$D/uwsgi.sock" "$D/rec.jfr"
sed -e "s#@SRVDIR@#$D#g" -e "s#@PORT@#$PORT#g" -e 's#user www-data;#user root;#' "$BENCH/conf/nginx-uwsgi.conf" > "$D/nginx.conf"
sed -e "s#@SRVDIR@#$D#g" "$BENCH/conf/nginx-common.inc" > "$D/nginx-common.inc"
"$JAVA" -Xms64m -Xmx512m -jar "$PROJ/src/server/target/wsgi4j-server.jar" --uwsgi "unix:$D/uwsgi.sock" \
    --classpath "$PROJ/src/server/target/test-classes" --mount /=org.wsgi4j.jetty.BenchApp > "$D/java.log" 2>&1 &
JPID=$!
nginx -c "$D/nginx.conf" -g "daemon off;" > "$D/nginx.out" 2>&1 &
NPID=$!
sleep 3
case $W in hello) P=/; M=GET; B=0;; echo) P=/echo; M=POST; B=65536;; stream) P=/stream; M=GET; B=0;; esac
run() { BENCH_METHOD=$M BENCH_BODY_BYTES=$B wrk -t2 -c16 -d"$1" -s "$BENCH/lib/bench.lua" "http://127.0.0.1:$PORT$P" | grep -o '"requests":[0-9]*' | cut -d: -f2; }
run 10s > /dev/null
JCMD=$(dirname "$JAVA")/jcmd
"$JCMD" $JPID JFR.start name=alloc settings=profile filename="$D/rec.jfr" > /dev/null
N=$(run 5s)
"$JCMD" $JPID JFR.stop name=alloc > /dev/null
strace -f -c -p $JPID -o "$D/strace.txt" 2> /dev/null & SPID=$!
sleep 1
NS=$(run 4s)
kill -INT $SPID; wait $SPID
kill $NPID $JPID; wait
BYTES=$("$(dirname "$JAVA")/jfr" print --events jdk.ObjectAllocationSample "$D/rec.jfr" | awk '/weight = /{v=$3; u=$4; m=1; if(u=="kB")m=1e3; if(u=="MB")m=1e6; if(u=="GB")m=1e9; s+=v*m} END {printf "%.0f", s}')
echo "$TAG $W: $N requests recorded, $((BYTES / N)) bytes allocated per request (JFR samples' weights)"
echo "$TAG $W: $NS requests under strace, syscalls per request:"
awk -v n="$NS" 'NR>2 && $NF!="total" && $4+0>0 {printf "  %-14s %.2f\n", $NF, $4/n}' "$D/strace.txt" | sort -k2 -nr | head -12
