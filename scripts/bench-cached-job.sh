#!/usr/bin/env bash
# How long a job of inputs already merged takes, initiate to DONE, on the shipped sample (docs/BENCHMARKS.md):
# starts `java -jar logmerge.jar` as the README runs it (role all, embedded S3 over a copy of ./miniodata/logs,
# embedded Redis, the result cache on), merges the sample range once, then asks for it BENCH_RUNS more times,
# one job after the other. Per job it reports the server's time (the job's finished_at - created_at, from
# /status, Redis clock) and the client's (POST /initiate until a /status poll says DONE, polling without pause;
# each poll is a curl process, a few ms). BENCH_WARMUP cached jobs run first and are not counted (0 by default:
# the first jobs after a start run cold code, which is JIT-compiled as they run). BENCH_LOG=file keeps the
# service's log. Needs the jar (mvn -B -q -DskipTests package).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGMERGE=${LOGMERGE_JAR:-$ROOT/launcher/target/logmerge.jar}
RUNS=${BENCH_RUNS:-51}
WARMUP=${BENCH_WARMUP:-0}
PORT_BASE=${BENCH_PORT_BASE:-19900}
HTTP="localhost:$PORT_BASE"
START=${BENCH_START:-2019-08-19}
END=${BENCH_END:-2019-08-23}

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  if [ -n "${BENCH_LOG:-}" ] && [ -f "$work/service.log" ]; then cp "$work/service.log" "$BENCH_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data"
cp -r "$ROOT/miniodata/logs" "$work/data/logs"

java -jar "$LOGMERGE" all --data-dir "$work/data" --http-port "$PORT_BASE" \
  --embedded-s3-port $((PORT_BASE + 1)) --embedded-redis-port $((PORT_BASE + 2)) \
  --cluster-port $((PORT_BASE + 3)) >"$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$HTTP/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "the service exited:"; cat "$work/service.log"; exit 1; }
  sleep 0.2
done

initiate() {
  curl -s -X POST "$HTTP/initiate" -H 'Content-Type: application/json' \
    -d "{\"start_date\":\"$START\",\"end_date\":\"$END\"}" | sed -E 's/.*"download_id":"([^"]+)".*/\1/'
}
# an ISO-8601 instant of /status as epoch milliseconds
millis() { date -d "$1" +%s%3N; }

first=$(initiate)
until curl -s "$HTTP/status/$first" | grep -q '"state":"DONE"'; do sleep 0.05; done

# one job of the range, already merged, until /status says DONE; prints the last status
cached_job() {
  local id status
  id=$(initiate)
  until status=$(curl -s "$HTTP/status/$id") && grep -q '"state":"DONE"' <<<"$status"; do :; done
  grep -q '"cached":true' <<<"$status" || { echo "job $id merged instead of sharing: $status" >&2; exit 1; }
  echo "$status"
}

for _ in $(seq 1 "$WARMUP"); do cached_job >/dev/null; done

server=()
client=()
for _ in $(seq 1 "$RUNS"); do
  t0=$(date +%s%N)
  status=$(cached_job)
  t1=$(date +%s%N)
  created=$(sed -E 's/.*"created_at":"([^"]+)".*/\1/' <<<"$status")
  finished=$(sed -E 's/.*"finished_at":"([^"]+)".*/\1/' <<<"$status")
  server+=($(($(millis "$finished") - $(millis "$created"))))
  client+=($(((t1 - t0) / 1000000)))
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "cached jobs of $START..$END on the sample, $RUNS runs after $WARMUP not counted, on $(nproc) cores:"
echo "  server (created_at -> finished_at): median $(median "${server[@]}") ms, min $(median $(printf '%s\n' "${server[@]}" | sort -n | head -1)) ms, max $(printf '%s\n' "${server[@]}" | sort -n | tail -1) ms"
echo "  client (POST /initiate -> /status DONE): median $(median "${client[@]}") ms"
echo "  log: $(grep -c 'DONE without a merge' "$work/service.log") jobs DONE without a merge, $(grep -c ' DONE: ' "$work/service.log") merged"
