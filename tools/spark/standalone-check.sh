#!/usr/bin/env bash
# Runs the README's spark-submit recipe against a real Spark standalone cluster on this machine: a master and a
# worker (executors in their own JVMs, fetching the --jars and --files from the driver), built from the Spark jars
# Maven downloaded for detector-spark (target/spark-lib), then `spark-submit --master spark://...` of SparkCommand
# with the model shipped by --files. Prints the job's summary and compares its COCO results with `keydet detect`
# on the same images. Needs `./keydet spark --help` run once (builds detector-spark and its lib/ and spark-lib/).
# Usage: tools/spark/standalone-check.sh [IMAGE_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
images="${1:-$root/detector-examples/samples}"
work="$(mktemp -d)"
trap 'pkill -f "keydet.check=$work" 2>/dev/null || true; rm -rf "$work"' EXIT
lib="$root/detector-spark/target/lib"
[ -d "$lib" ] && [ -d "$root/detector-spark/target/spark-lib" ] || { echo "run ./keydet spark --help first" >&2; exit 2; }
# A SPARK_HOME as a distribution lays it out: jars/ (Spark's own, plus the slf4j and Jackson that spark-lib leaves
# to KeyDet's lib/), a RELEASE file; SPARK_SCALA_VERSION spares the launcher its source-tree lookup.
home="$work/spark-home"
mkdir -p "$home/jars"
ln -s "$root"/detector-spark/target/spark-lib/*.jar "$lib"/slf4j-api-*.jar "$lib"/jackson-*.jar "$home/jars/"
echo "Spark jars from Maven Central" > "$home/RELEASE"
export SPARK_HOME="$home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_WORKER_DIR="$work/worker"
. "$root/tools/spark/java-opens.sh"
spark() { java "${spark_java_opens[@]}" -Dkeydet.check="$work" -cp "$home/jars/*" "$@"; }
port=$(( 17000 + RANDOM % 1000 ))
spark org.apache.spark.deploy.master.Master --host 127.0.0.1 --port $port --webui-port 0 > "$work/master.log" 2>&1 &
for _ in $(seq 1 60); do grep -q "Starting Spark master" "$work/master.log" 2>/dev/null && break; sleep 1; done
spark org.apache.spark.deploy.worker.Worker --cores 2 --memory 4g --webui-port 0 "spark://127.0.0.1:$port" \
  > "$work/worker.log" 2>&1 &
for _ in $(seq 1 60); do grep -q "Successfully registered" "$work/worker.log" 2>/dev/null && break; sleep 1; done
grep -q "Successfully registered" "$work/worker.log" || { cat "$work/worker.log" >&2; exit 1; }
model="$work/my-model.onnx"
cp "$root/detector-models/src/main/resources/io/github/keydet/models/centernet-mobilenetv3-coco.onnx" "$model"
status=0
spark org.apache.spark.deploy.SparkSubmit --master "spark://127.0.0.1:$port" --deploy-mode client \
  --class io.github.keydet.spark.SparkCommand --jars "$(ls "$lib"/*.jar | paste -sd,)" --files "$model" \
  "$root/detector-spark/target/keydet-spark.jar" --input "$images" --output "$work/out" --model my-model.onnx \
  > "$work/submit.log" 2>&1 || status=$?
grep -v -E " (INFO|WARN) |^\s+at |^Using Spark" "$work/submit.log" || true
echo "spark-submit exit status $status (0: all processed, 3: some images failed)"
echo "executors launched: $(grep -c 'Asked to launch executor' "$work/worker.log")"
java -jar "$root/detector-examples/target/keydet.jar" detect "$images" --model "$model" --json "$work/cli.json" \
  > /dev/null 2>&1 || true
python3 - "$work/out/results.json" "$work/cli.json" <<'PY'
import json, sys
spark, cli = (json.load(open(p)) for p in sys.argv[1:])
key = lambda r: (r["category_id"], round(r["score"], 3), *(round(v, 1) for v in r["bbox"]))
a, b = sorted(map(key, spark)), sorted(map(key, cli))
print("COCO results: spark-submit %d rows, keydet detect %d rows: %s" % (len(a), len(b), "equal" if a == b else "DIFFERENT"))
sys.exit(0 if a == b else 1)
PY
