#!/usr/bin/env bash
# Per-customer statistics (docs/BENCHMARKS.md): starts `java -jar logmerge.jar all` as the README runs it (embedded S3
# over generated logs, embedded Redis), then
#  1. indexing throughput: one day of BENCH_DAY_FILES files x BENCH_DAY_LINES lines, its customers drawn from
#     BENCH_DAY_CUSTOMERS (the generator's --customers; 250000, its default, is the worst case: nearly every
#     line a customer of its own), indexed by POST /stats/reindex
#     and merged by POST /initiate (RESULT_CACHE=false), alternately BENCH_RUNS times; per job the server's time
#     (finished_at - started_at from /status) and MB/s of the day's stored bytes; medians;
#  2. query throughput: BENCH_QUERY_DAYS days of logs indexed, then wrk against
#     GET /customers/<busy customer>/stats?from=..&to=.. (the whole range) and against the 404 route, alternately
#     BENCH_RUNS times for BENCH_WRK_SECONDS each; medians and the ratio.
# Needs the jars (mvn -B -q -DskipTests package) and wrk.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LOGMERGE=${LOGMERGE_JAR:-$ROOT/launcher/target/logmerge.jar}
GENERATOR=$ROOT/log-generator/target/log-generator.jar
RUNS=${BENCH_RUNS:-5}
PORT_BASE=${BENCH_PORT_BASE:-19950}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
DAY_FILES=${BENCH_DAY_FILES:-8}
DAY_LINES=${BENCH_DAY_LINES:-250000}
DAY_CUSTOMERS=${BENCH_DAY_CUSTOMERS:-250000}
QUERY_DAYS=${BENCH_QUERY_DAYS:-30}
HTTP="localhost:$PORT_BASE"
DAY=2019-09-01
QUERY_START=2019-10-01
QUERY_END=$(date -d "$QUERY_START + $((QUERY_DAYS - 1)) days" +%F)
CUSTOMER=cust-000042

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/data/logs"
java -jar "$GENERATOR" --path "$work/data/logs" --start-date "$DAY" --days 1 --files "$DAY_FILES" \
  --lines "$DAY_LINES" --customers "$DAY_CUSTOMERS" >/dev/null
java -jar "$GENERATOR" --path "$work/data/logs" --start-date "$QUERY_START" --days "$QUERY_DAYS" --files 3 \
  --lines 2000 --seed 2 >/dev/null
day_bytes=$(cat "$work"/data/logs/${DAY}_* | wc -c)

RESULT_CACHE=false java -jar "$LOGMERGE" all --data-dir "$work/data" --http-port "$PORT_BASE" \
  --embedded-s3-port $((PORT_BASE + 1)) --embedded-redis-port $((PORT_BASE + 2)) \
  --cluster-port $((PORT_BASE + 3)) >"$work/service.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "$HTTP/ready"; do
  kill -0 "$pid" 2>/dev/null || { echo "the service exited:"; cat "$work/service.log"; exit 1; }
  sleep 0.2
done

post() { curl -s -X POST "$HTTP/$1" -H 'Content-Type: application/json' -d "$2" |
  sed -E 's/.*"download_id":"([^"]+)".*/\1/'; }
await_done() {
  local status
  until status=$(curl -s "$HTTP/status/$1") && grep -q '"state":"\(DONE\|FAILED\)"' <<<"$status"; do sleep 0.05; done
  grep -q '"state":"DONE"' <<<"$status" || { echo "job $1 did not succeed: $status"; exit 1; }
  echo "$status"
}
millis() { date -d "$1" +%s%3N; }
seconds_of() {
  local started finished
  started=$(sed -E 's/.*"started_at":"([^"]+)".*/\1/' <<<"$1")
  finished=$(sed -E 's/.*"finished_at":"([^"]+)".*/\1/' <<<"$1")
  echo "$(($(millis "$finished") - $(millis "$started")))"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
range="{\"start_date\":\"$DAY\",\"end_date\":\"$DAY\"}"

index_ms=()
merge_ms=()
for _ in $(seq 1 "$RUNS"); do
  index_ms+=("$(seconds_of "$(await_done "$(post stats/reindex "$range")")")")
  merge_ms+=("$(seconds_of "$(await_done "$(post initiate "$range")")")")
done
mbps() { awk -v b="$day_bytes" -v ms="$1" 'BEGIN { printf "%.0f", b / 1e6 / (ms / 1000) }'; }
echo "one day, $DAY_FILES files, $((day_bytes / 1000000)) MB, customers drawn from $DAY_CUSTOMERS, $RUNS runs each on $(nproc) cores:"
echo "  index: median $(median "${index_ms[@]}") ms ($(mbps "$(median "${index_ms[@]}")") MB/s)  runs: ${index_ms[*]}"
echo "  merge: median $(median "${merge_ms[@]}") ms ($(mbps "$(median "${merge_ms[@]}")") MB/s)  runs: ${merge_ms[*]}"

await_done "$(post stats/reindex "{\"start_date\":\"$QUERY_START\",\"end_date\":\"$QUERY_END\"}")" >/dev/null
query="$HTTP/customers/$CUSTOMER/stats?from=$QUERY_START&to=$QUERY_END"
rows=$(curl -s "$query" | grep -o '"date"' | wc -l)
echo "query: $CUSTOMER over $QUERY_DAYS days answers $rows rows"
rps() { wrk -t2 -c64 -d"${WRK_SECONDS}s" "$1" | awk '/Requests\/sec/ { printf "%.0f", $2 }'; }
rps "http://$query" >/dev/null # warm-up
rps "http://$HTTP/nope" >/dev/null
stats_rps=()
notfound_rps=()
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then
    stats_rps+=("$(rps "http://$query")")
    notfound_rps+=("$(rps "http://$HTTP/nope")")
  else
    notfound_rps+=("$(rps "http://$HTTP/nope")")
    stats_rps+=("$(rps "http://$query")")
  fi
done
s=$(median "${stats_rps[@]}")
n=$(median "${notfound_rps[@]}")
echo "  stats query: median $s req/s  runs: ${stats_rps[*]}"
echo "  404 route:   median $n req/s  runs: ${notfound_rps[*]}"
awk -v s="$s" -v n="$n" 'BEGIN { printf "  ratio: %.2f of the 404 route, %.0fx the 500 req/s of the streaming stack\n", s / n, s / 500 }'
echo "service log, indexings of $DAY (read and store times):"
grep -E "statistics of $DAY:" "$work/service.log" | sed -E 's/^.* - /  /'
