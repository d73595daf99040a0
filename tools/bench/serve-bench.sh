#!/usr/bin/env bash
# Measures `keydet serve` with wrk on loopback at 1, 4, 16, 64 connections, then the in-process detector
# (`keydet bench --clients N`, with and without decoding the file in every call) on the same image. Besides images/s
# it reports CPU milliseconds per image (the server process's, from /proc; the bench process's minus a one-run
# baseline), which a machine shared with other work disturbs much less than wall-clock rates.
# Needs the built jars (./keydet serve --help builds the server, ./keydet --help the CLI) and wrk (Debian: apt-get
# install wrk). Usage: tools/bench/serve-bench.sh [IMAGE] [SECONDS] [extra keydet serve options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
image="${1:-$root/detector-examples/samples/astronaut.png}"
seconds="${2:-20}"
shift $(( $# > 2 ? 2 : $# ))
port=18181
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
uptime
java -jar "$root/detector-server/target/keydet-server.jar" serve --host 127.0.0.1 --port $port "$@" \
  > /tmp/keydet-serve-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
idle() { # until the requests of the previous run (wrk does not wait for them) have left the server
  for _ in $(seq 1 600); do
    curl -s "http://127.0.0.1:$port/metrics" | grep -q '^keydet_admission_in_system 0.0$' && return
    sleep 0.2
  done
}
export IMAGE="$image"
wrk -t2 -c2 -d5s -s "$root/tools/bench/wrk-post-image.lua" "http://127.0.0.1:$port/v1/detect" >/dev/null # warm-up
for c in 1 4 16 64; do
  idle
  t=$(( c < 2 ? 1 : 2 ))
  before=$(cpu_ticks $server)
  line=$(wrk -t$t -c$c -d"${seconds}s" --timeout 60s -s "$root/tools/bench/wrk-post-image.lua" \
    "http://127.0.0.1:$port/v1/detect" | grep RESULT)
  after=$(cpu_ticks $server)
  ok=$(echo "$line" | sed -E 's/.* 200: ([0-9]+) .*/\1/')
  printf 'HTTP %2d connections: %s  server CPU %s ms/image  load %s\n' "$c" "${line#RESULT }" \
    "$(awk -v d=$((after - before)) -v t="$tck" -v n="$ok" 'BEGIN { printf "%.1f", n ? d * 1000 / t / n : 0 }')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
done
uptime
kill $server
wait $server 2>/dev/null || true
trap - EXIT
bench() { # prints the bench's result line and its process CPU seconds (user + sys) last
  local TIMEFORMAT='%U %S'
  { time java -jar "$root/detector-examples/target/keydet.jar" bench "$image" "$@" 2>/dev/null | grep throughput; } 2>&1
}
base=$(bench --runs 1 --warmup 0 | tail -1 | awk '{print $1 + $2}')
for c in 1 2 4 16; do
  for d in "" --decode; do
    out=$(bench --clients $c --runs 100 --warmup 10 $d)
    secs=$(echo "$out" | tail -1 | awk '{print $1 + $2}')
    w=$(( c == 1 ? 10 : (10 / c > 0 ? 10 / c : 1) * c )) # the bench's warm-up calls
    n=$(( 100 + w - 1 )) # calls beyond the baseline's one
    printf 'in-process %2d clients %-8s: %s  CPU %s ms/image  load %s\n' "$c" "$d" "$(echo "$out" | head -1)" \
      "$(awk -v s="$secs" -v b="$base" -v n="$n" 'BEGIN { printf "%.1f", (s - b) * 1000 / n }')" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
uptime
