#!/usr/bin/env bash
# CPU per request of the test Flask app (src/python/src/test/resources/python/flask_app.py) on
# wsgi4j-server, interpreted or with GraalPy's JIT. Run from the project root, with Debian's
# python3-flask and wrk installed (it builds what it needs on first use). Usage:
#   bench/flask-cpu.sh [--jit] [--java JAVA] [--warmup SECONDS] [--seconds N] [--path /echo/7]
# --jit puts org.graalvm.compiler:compiler (the GraalPy version) on --upgrade-module-path with
# -XX:+EnableJVMCI (needs a JDK with JVMCI, e.g. Temurin 25). Prints requests/s and CPU µs/request
# of the server process (utime+stime from /proc over the measured wrk run, after a warm-up).
# Interpreted, the figure keeps falling for minutes while C2 compiles GraalPy's interpreter: keep
# the warm-up long (default 240 s).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=java; JIT=""; SECONDS_MEASURED=15; WARMUP=240; URL_PATH=/echo/7; PORT=18150
while [ $# -gt 0 ]; do
  case "$1" in
    --jit) JIT=1 ;;
    --java) JAVA="$2"; shift ;;
    --seconds) SECONDS_MEASURED="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --path) URL_PATH="$2"; shift ;;
    --port) PORT="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
WORK=target/bench-flask; mkdir -p "$WORK"
VERSION=$(sed -n 's/.*<graalpy.version>\(.*\)<\/graalpy.version>.*/\1/p' pom.xml)
if [ ! -f "$WORK/cp.txt" ]; then
  # GraalPy's jars, for --classpath beside wsgi4j-python (the server jar holds wsgi4j-core).
  mvn -B -q -pl src/python -am -DskipTests -Dwsgi4j.fuzz.skip=true package dependency:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.excludeGroupIds=org.wsgi4j -Dmdep.outputFile="$PWD/$WORK/cp.txt" >/dev/null
fi
if [ -n "$JIT" ] && [ ! -d "$WORK/jit" ]; then
  mvn -B -q dependency:copy -Dartifact=org.graalvm.compiler:compiler:$VERSION -DoutputDirectory="$WORK/jit" >/dev/null
  for a in org.graalvm.truffle:truffle-compiler org.graalvm.sdk:collections org.graalvm.sdk:word; do
    mvn -B -q dependency:copy -Dartifact=$a:$VERSION -DoutputDirectory="$WORK/jit" >/dev/null
  done
fi
PACKAGES=$WORK/flask-packages
if [ ! -d "$PACKAGES/flask" ]; then
  for p in flask werkzeug jinja2 markupsafe itsdangerous click; do
    mkdir -p "$PACKAGES"; cp -r /usr/lib/python3/dist-packages/$p "$PACKAGES/"
  done
fi
OPTS=(-Xms256m -Xmx1g -Dpolyglot.engine.userResourceCache="$PWD/$WORK/cache")
if [ -n "$JIT" ]; then
  OPTS+=(-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI "--upgrade-module-path=$(ls -d "$PWD/$WORK"/jit/*.jar | paste -sd:)"
         --sun-misc-unsafe-memory-access=allow)
else
  OPTS+=(-Dpolyglot.engine.WarnInterpreterOnly=false)
fi
"$JAVA" "${OPTS[@]}" -jar src/server/target/wsgi4j-server.jar --http 127.0.0.1:$PORT --no-virtual-threads \
    --classpath "src/python/target/classes:$(cat $WORK/cp.txt)" \
    --python-path src/python/src/test/resources/python --python-path "$PACKAGES" \
    --mount /=python:flask_app:app > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT$URL_PATH" >/dev/null 2>&1; do
  kill -0 $SERVER 2>/dev/null || { cat "$WORK/server.log"; exit 1; }
  sleep 1
done
grep -o "contexts of GraalPy.*" "$WORK/server.log" || true
wrk -t2 -c4 -d${WARMUP}s "http://127.0.0.1:$PORT$URL_PATH" > /dev/null   # warm-up
TICKS=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' /proc/$SERVER/stat; }
BEFORE=$(cpu)
OUT=$(wrk -t2 -c4 -d${SECONDS_MEASURED}s "http://127.0.0.1:$PORT$URL_PATH")
AFTER=$(cpu)
REQUESTS=$(echo "$OUT" | awk '/requests in/ {print $1}')
echo "$OUT" | grep -E 'Requests/sec|Latency'
echo "CPU per request: $(( (AFTER - BEFORE) * 1000000 / TICKS / REQUESTS )) µs ($REQUESTS requests, $(( (AFTER - BEFORE) / TICKS )) CPU s)"
