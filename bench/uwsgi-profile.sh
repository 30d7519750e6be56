#!/bin/bash
# JFR profile of nginx -> uwsgi (TCP, or unix with TRANSPORT=unix) -> wsgi4j under wrk: hello (64 connections), echo and stream
# (16), 10 s each after a 4 s warm-up. Needs the jar and BenchApp built
# (mvn -B -q -o package -DskipTests -pl src/server -am), Temurin 25, nginx and wrk.
#   [TRANSPORT=unix] [WORKLOADS=hello] bench/uwsgi-profile.sh TAG        -> /tmp/uwsgi-prof/TAG/rec.jfr, then e.g.
#   jfr view hot-methods /tmp/uwsgi-prof/TAG/rec.jfr
set -u
TAG=$1
PROJ=${PROJ:-$(cd "$(dirname "$0")/.." && pwd)}
BENCH=${BENCH:-$PROJ/../shared/bench}
D=/tmp/uwsgi-prof/$TAG; mkdir -p "$D/tmp"
JAVA=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
if [ "${TRANSPORT:-tcp}" = unix ]; then CONF=nginx-uwsgi.conf ADDR=unix:$D/uwsgi.sock; rm -f "$D/uwsgi.sock"
else CONF=nginx-uwsgi-tcp.conf ADDR=127.0.0.1:18202; fi
sed -e "s#@SRVDIR@#$D#g" -e "s#@PORT@#${PORT:-18201}#g" -e "s#@BACKEND_PORT@#18202#g" -e 's#user www-data;#user root;#' \
    "$BENCH/conf/$CONF" > "$D/nginx.conf"
sed -e "s#@SRVDIR@#$D#g" "$BENCH/conf/nginx-common.inc" > "$D/nginx-common.inc"
"$JAVA" -Xms64m -Xmx512m -XX:StartFlightRecording=filename=$D/rec.jfr,settings=profile,method-profiling=max,delay=5s \
    -jar "$PROJ/src/server/target/wsgi4j-server.jar" --uwsgi "$ADDR" \
    --classpath "$PROJ/src/server/target/test-classes" --mount /=org.wsgi4j.jetty.BenchApp > "$D/java.log" 2>&1 &
JPID=$!
nginx -c "$D/nginx.conf" -g "daemon off;" > "$D/nginx.out" 2>&1 &
NPID=$!
sleep 3
L=$BENCH/lib/bench.lua
wrk -t2 -c64 -d4s -s "$L" http://127.0.0.1:${PORT:-18201}/ > /dev/null
for w in ${WORKLOADS:-hello echo stream}; do
  case $w in hello) P=/; M=GET; B=0; C=64;; echo) P=/echo; M=POST; B=65536; C=16;; stream) P=/stream; M=GET; B=0; C=16;; esac
  BENCH_METHOD=$M BENCH_BODY_BYTES=$B wrk -t2 -c$C -d10s -s "$L" http://127.0.0.1:${PORT:-18201}$P | grep -E "Requests/sec" | sed "s/^/$w: /"
done
"$(dirname "$JAVA")/jcmd" $JPID JFR.dump filename=$D/rec.jfr > /dev/null
kill $NPID $JPID; wait
