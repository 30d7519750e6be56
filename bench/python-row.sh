#!/usr/bin/env bash
# The `prepare` step of the ours-python rows (bench/servers-wsgi4j.ini): builds src/python and
# writes, under DIR (the harness's ${BUILD}/wsgi4j-python):
#   cp.txt  GraalPy's jars for --classpath beside src/python/target/classes (the server jar holds
#           wsgi4j-core);
#   jit/    the Graal compiler of GraalPy's version, for --upgrade-module-path (ours-python-jit).
# Idempotent: does nothing when both exist and are newer than the POMs and src/python's sources.
# Usage (from anywhere): bench/python-row.sh DIR
set -euo pipefail
DIR="$(mkdir -p "$1" && cd "$1" && pwd)"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -s "$DIR/cp.txt" ] && [ -d "$DIR/jit" ] && [ -d src/python/target/classes/org ] \
   && [ -z "$(find pom.xml src/python/pom.xml src/python/src/main src/core/src/main -newer "$DIR/cp.txt" -type f -print -quit)" ]; then
  exit 0
fi
VERSION=$(sed -n 's/.*<graalpy.version>\(.*\)<\/graalpy.version>.*/\1/p' pom.xml)
mvn -B -q -pl src/python -am -DskipTests -Dwsgi4j.fuzz.skip=true package dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.excludeGroupIds=org.wsgi4j -Dmdep.outputFile="$DIR/cp.txt" >/dev/null
rm -rf "$DIR/jit"
for a in org.graalvm.compiler:compiler org.graalvm.truffle:truffle-compiler org.graalvm.sdk:collections org.graalvm.sdk:word; do
  mvn -B -q dependency:copy -Dartifact="$a:$VERSION" -DoutputDirectory="$DIR/jit" >/dev/null
done
