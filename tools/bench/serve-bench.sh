#!/usr/bin/env bash
# Measures `keydet serve` with wrk on loopback at 1, 4, 16, 64 connections, then the in-process detector
# (`keydet bench --clients N`, with and without decoding the file in every call) on the same image.
# Needs the built jars (./keydet serve --help builds the server, ./keydet --help the CLI) and wrk (Debian: apt-get
# install wrk). Usage: tools/bench/serve-bench.sh [IMAGE] [SECONDS] [extra keydet serve options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="${1:-$root/detector-examples/samples/astronaut.png}"
seconds="${2:-20}"
shift $(( $# > 2 ? 2 : $# ))
port=18181
uptime
java -jar "$root/detector-server/target/keydet-server.jar" serve --host 127.0.0.1 --port $port "$@" \
  > /tmp/keydet-serve-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
export IMAGE="$image"
wrk -t2 -c2 -d5s -s "$root/tools/bench/wrk-post-image.lua" "http://127.0.0.1:$port/v1/detect" >/dev/null # warm-up
idle() { # until the requests of the previous run (wrk does not wait for them) have left the server
  for _ in $(seq 1 600); do
    curl -s "http://127.0.0.1:$port/metrics" | grep -q '^keydet_admission_in_system 0.0$' && return
    sleep 0.2
  done
}
for c in 1 4 16 64; do
  idle
  t=$(( c < 2 ? 1 : 2 ))
  printf 'HTTP %2d connections: ' "$c"
  wrk -t$t -c$c -d"${seconds}s" --timeout 30s -s "$root/tools/bench/wrk-post-image.lua" \
    "http://127.0.0.1:$port/v1/detect" | grep RESULT
done
uptime
kill $server
wait $server 2>/dev/null || true
trap - EXIT
for c in 1 2 4 16; do
  for d in "" --decode; do
    printf 'in-process %2d clients %-8s: ' "$c" "$d"
    java -jar "$root/detector-examples/target/keydet.jar" bench "$image" --clients $c --runs 100 --warmup 10 $d \
      | grep -E "throughput"
  done
done
uptime
