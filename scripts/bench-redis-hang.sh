#!/usr/bin/env bash
# How fast the API answers while Redis hangs (docs/BENCHMARKS.md, round 11). Starts `java -jar logmerge.jar all`
# as the README runs it (embedded S3 over a copy of ./miniodata/logs, embedded Redis, default settings:
# REDIS_TIMEOUT 5s, REDIS_BREAKER_TRIP_AFTER 3, REDIS_BREAKER_PROBE_INTERVAL 1s), queues one job, then times
# GET /status/{id} (curl's time_total, one request per curl process, a new connection each):
#   1. Redis running: BENCH_RUNS requests one after the other (the baseline);
#   2. the embedded redis-server stopped with SIGSTOP (its pid from INFO server): BENCH_TRIPPERS requests at
#      once, which wait for their timeout and trip every HTTP verticle's breaker;
#   3. breakers open: BENCH_RUNS requests one after the other, each must answer 503 job-store-unavailable;
#   4. SIGCONT: /status polled without pause until it answers 200: the time from SIGCONT to that answer.
# Needs the jar (mvn -B -q -DskipTests package). BENCH_LOG=file keeps the service's log.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGMERGE=${LOGMERGE_JAR:-$ROOT/launcher/target/logmerge.jar}
RUNS=${BENCH_RUNS:-201}
TRIPPERS=${BENCH_TRIPPERS:-8}
PORT_BASE=${BENCH_PORT_BASE:-19940}
HTTP="127.0.0.1:$PORT_BASE"
REDIS_PORT=$((PORT_BASE + 2))

work=$(mktemp -d)
pid=""
redis_pid=""
cleanup() {
  # never leave the embedded Redis stopped
  if [ -n "$redis_pid" ]; then kill -CONT "$redis_pid" 2>/dev/null || true; fi
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  if [ -n "${BENCH_LOG:-}" ] && [ -f "$work/service.log" ]; then cp "$work/service.log" "$BENCH_LOG"; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data"
cp -r "$ROOT/miniodata/logs" "$work/data/logs"

java -jar "$LOGMERGE" all --data-dir "$work/data" --http-port "$PORT_BASE" \
  --embedded-s3-port $((PORT_BASE + 1)) --embedded-redis-port "$REDIS_PORT" \
  --cluster-port $((PORT_BASE + 3)) >"$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$HTTP/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "the service exited:"; cat "$work/service.log"; exit 1; }
  sleep 0.2
done

# the redis-server's pid, as it tells it
exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
printf 'INFO server\r\n' >&3
while IFS= read -r -t 5 line <&3; do
  case $line in process_id:*) redis_pid=$(tr -dc '0-9' <<<"${line#process_id:}"); break ;; esac
done
exec 3<&-
grep -q redis "/proc/$redis_pid/comm" || { echo "pid $redis_pid is not redis-server"; exit 1; }

id=$(curl -s -X POST "$HTTP/initiate" -H 'Content-Type: application/json' \
  -d '{"start_date":"2019-08-19","end_date":"2019-08-23"}' | sed -E 's/.*"download_id":"([^"]+)".*/\1/')

# one GET /status/{id}: "<status> <milliseconds>"
status() {
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$HTTP/status/$id" |
    awk '{ printf "%s %.1f\n", $1, $2 * 1000 }'
}
# median, min and max of the milliseconds in "<status> <ms>" lines on stdin
summary() {
  awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END {
    printf "median %.1f ms, min %.1f ms, max %.1f ms (%d requests)", v[int((NR + 1) / 2)], v[1], v[NR], NR }'
}

for _ in $(seq 1 20); do status >/dev/null; done # warm-up, not counted
for _ in $(seq 1 "$RUNS"); do status; done >"$work/running.txt"

kill -STOP "$redis_pid"
stopped_at=$(date +%s%N)
trippers=()
for _ in $(seq 1 "$TRIPPERS"); do
  status >>"$work/tripping.txt" &
  trippers+=($!)
done
wait "${trippers[@]}"
tripped_at=$(date +%s%N)
for _ in $(seq 1 "$RUNS"); do status; done >"$work/open.txt"
body=$(curl -s -i "$HTTP/status/$id" | tr -d '\r' | grep -E '^(HTTP|Retry-After|\{)')

kill -CONT "$redis_pid"
continued_at=$(date +%s%N)
deadline=$((continued_at + 60000000000))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$HTTP/status/$id")" = 200 ]; do
  [ "$(date +%s%N)" -lt "$deadline" ] || { echo "no 200 within 60 s of SIGCONT"; exit 1; }
done
recovered_at=$(date +%s%N)
stopped=$redis_pid
redis_pid=""

echo "GET /status/{id} of the embedded default run, on $(nproc) cores (redis-server pid $stopped):"
echo "  Redis running:              $(summary <"$work/running.txt"), statuses: $(awk '{ print $1 }' "$work/running.txt" | sort | uniq -c | xargs)"
echo "  Redis stopped, tripping:    $(summary <"$work/tripping.txt") at once, statuses: $(awk '{ print $1 }' "$work/tripping.txt" | sort | uniq -c | xargs); all answered $(((tripped_at - stopped_at) / 1000000)) ms after SIGSTOP"
echo "  Redis stopped, breaker open: $(summary <"$work/open.txt"), statuses: $(awk '{ print $1 }' "$work/open.txt" | sort | uniq -c | xargs)"
echo "  answer while open: $body"
echo "  SIGCONT to the first 200: $(((recovered_at - continued_at) / 1000000)) ms"
echo "  log: $(grep -c 'did not answer' "$work/service.log") breaker trips, $(grep -c 'answers again' "$work/service.log") closes"
