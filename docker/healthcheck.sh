#!/usr/bin/env bash
# Container health check: exit 0 when GET http://HOST:PORT/PATH answers 200, 1 otherwise.
#
#   wsgi4j-healthcheck [HOST:PORT] [PATH]      (default 127.0.0.1:9191 /health)
#
# The JRE base images are not guaranteed to ship curl or wget, and a JVM started per check would
# cost more memory and time than the check itself; bash can open a TCP connection on its own
# (/dev/tcp), which is all a status line needs. HTTP/1.0 so the server closes after answering.
set -u
address=${1:-127.0.0.1:9191}
path=${2:-/health}
host=${address%:*}
port=${address##*:}

if ! { exec 3<>"/dev/tcp/${host}/${port}"; } 2>/dev/null; then
    echo "nothing listens on ${address}" >&2
    exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$address" >&3
IFS= read -r -t 4 status <&3 || { echo "no answer from ${address}${path}" >&2; exit 1; }
exec 3<&-
status=${status%$'\r'}
case "$status" in
    "HTTP/1."[01]" 200"|"HTTP/1."[01]" 200 "*) exit 0 ;;
    *) echo "${address}${path}: ${status}" >&2; exit 1 ;;
esac
