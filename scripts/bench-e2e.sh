#!/usr/bin/env bash
# End-to-end benchmark of logmerge against `LC_ALL=C sort -m` on the same files (docs/BENCHMARKS.md).
#
# One run: generates data sets M, L, K, X with the log generator, serves them from embedded S3, merges each through
# the HTTP API in a fresh merge JVM (initiate -> DONE time, MB/s, peak RSS, CPU of that JVM and of the embedded S3),
# times `sort -m` on the local files, checks the bytes are equal, then, on an http-only JVM, compares the download of
# each result with a direct GET of the same object (and with a gzip-encoded download, `curl --compressed`) and
# load-tests the API with wrk. Needs the jars
# (mvn -B -q -DskipTests package), curl 7.75+ (SigV4), wrk, GNU sort. Loopback only.
#
# Sets: M 300 files of 340 KB, L 300 of 3.4 MB, K 2,000 of 100 KB (one day each), X 10,000 of 12 KB (10 days of
# 1,000): a job's date range covers all days of its set, and `sort -m` gets all their files.
#
# Knobs (environment): BENCH_DIR (data and logs, default ./bench-data), BENCH_SETS (default "M L K X"; empty: only
# the API load test), BENCH_EMBEDDED_SETS (sets also merged by `java -jar logmerge.jar` with its own embedded S3
# and Redis and default flags, the first impression; default "M L"; empty: none), BENCH_API (default 1; 0 skips
# the download and API tests, which need wrk), BENCH_RUNS (merges, sorts and wrk runs per measurement, default 3),
# BENCH_WRK_SECONDS (per wrk run, default 10), BENCH_POLL_IDS (queued jobs polled in turn by the many-ids wrk run,
# default 1000), MERGE_JVM_OPTS (flags of the merge JVM, default below), BENCH_READ_AHEAD (its MERGE_READ_AHEAD,
# default 4MiB), BENCH_FAN_IN and BENCH_GROUP_SIZE (its MERGE_FAN_IN and MERGE_GROUP_SIZE, default: the settings'
# defaults; a job of more than MERGE_FAN_IN inputs merges groups of MERGE_GROUP_SIZE into runs first),
# BENCH_BATCHED_MAX (the most files a set may have to be also timed with sort -m --batch-size=<files>, default
# 2000), HTTP_JVM_OPTS (flags of the http JVM of the download and API tests, default below), BENCH_PORT_BASE
# (default 19000; the run uses it to +8), LOGMERGE_JAR (the jar under test, default launcher/target/logmerge.jar:
# to compare builds in one sitting), BENCH_METRICS (default 0; 1: the API routes also on a second http JVM with
# METRICS_ENABLED=false, wrk runs alternating between the two, to show the cost of the metrics: requests/s, and
# each JVM's CPU per request, which a machine busy with other work disturbs less).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench-data}
SETS=${BENCH_SETS-"M L K X"}
API=${BENCH_API:-1}
FAN_IN=${BENCH_FAN_IN:-}
GROUP_SIZE=${BENCH_GROUP_SIZE:-}
# sort -m --batch-size=k merges k files at once with a cost per line that grows with k: 10,000 files took over
# 6 minutes, so sets of more files skip it
BATCHED_MAX=${BENCH_BATCHED_MAX:-2000}
# sets also merged by the embedded default (java -jar logmerge.jar), among those benchmarked
EMBEDDED_SETS=${BENCH_EMBEDDED_SETS-"M L"}
RUNS=${BENCH_RUNS:-3}
WRK_SECONDS=${BENCH_WRK_SECONDS:-10}
POLL_IDS=${BENCH_POLL_IDS:-1000}
METRICS_COMPARE=${BENCH_METRICS:-0}
# what a production merge JVM with a 256 MB memory limit would run with (docs/BENCHMARKS.md, "JVM flags")
MERGE_JVM_OPTS=${MERGE_JVM_OPTS:-"-Xmx96m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=1000 -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -XX:TieredStopAtLevel=1"}
# the API's JVM is CPU-bound on its event loops: the same small heap, but C2 (C1 only is a merge JVM's trade)
HTTP_JVM_OPTS=${HTTP_JVM_OPTS:-"-Xmx96m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k"}
# one job at a time (the benchmark runs one), and its read-ahead budget (MERGE_READ_AHEAD): what fits that heap
# next to the part buffers (docs/OPERATIONS.md)
MERGE_READ_AHEAD=${BENCH_READ_AHEAD:-4MiB}
# every timed job merges: the result cache would answer repeated runs from the first one's result
export RESULT_CACHE=false
# glibc's default of 8 malloc arenas per core keeps freed native memory (JIT arenas, Netty) resident
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
PORT_BASE=${BENCH_PORT_BASE:-19000}
S3_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
HTTP_PORT=$((PORT_BASE + 2))
API_PORT=$((PORT_BASE + 3))
EMBEDDED_HTTP_PORT=$((PORT_BASE + 4))
EMBEDDED_S3_PORT=$((PORT_BASE + 5))
EMBEDDED_REDIS_PORT=$((PORT_BASE + 6))
REDIRECT_PORT=$((PORT_BASE + 7))
METRICS_OFF_PORT=$((PORT_BASE + 8))
S3_URL=http://127.0.0.1:$S3_PORT
LOGMERGE=${LOGMERGE_JAR:-$ROOT/launcher/target/logmerge.jar}
GENERATOR=$ROOT/log-generator/target/log-generator.jar
# S3Proxy checks SigV4 and rejects curl's default payload hash; an unsigned payload is what SDKs send for GETs
S3_GET=(--aws-sigv4 "aws:amz:us-east-1:s3" --user minio:minio123 -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")

# name -> "first-day days files-per-day lines": ~122-byte lines, days of their own, so one data directory holds
# every set
declare -A SET_SPEC=([M]="2030-01-01 1 300 2750" [L]="2030-02-01 1 300 27500" [K]="2030-03-01 1 2000 820"
  [X]="2030-04-01 10 1000 100")

STARTED_PIDS=()
cleanup() {
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
median_of() { printf '%s\n' "$@" | median; } # the median of the arguments
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { printf "%.1f", bytes / 1e6 / s }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

wait_for_http() { # url, seconds
  local deadline=$((SECONDS + $2))
  until curl -s -o /dev/null "$1"; do
    ((SECONDS < deadline)) || { log "no answer from $1 after $2 s"; exit 1; }
    sleep 0.2
  done
}

start_jvm() { # log file, then the command; sets STARTED_PID
  local logfile=$1
  shift
  "$@" >"$logfile" 2>&1 &
  STARTED_PID=$!
  STARTED_PIDS+=("$STARTED_PID")
}

stop_jvm() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# the marker of a one-day set keeps its old name, so data generated before sets had days is not generated again
set_marker() { # name
  local day days files lines
  read -r day days files lines <<<"${SET_SPEC[$1]}"
  if ((days == 1)); then
    echo "$WORK/s3/logs/.set-$1-$files-$lines"
  else
    echo "$WORK/s3/logs/.set-$1-$days-$files-$lines"
  fi
}

set_days() { # name; prints each day of the set
  local day days i
  read -r day days _ <<<"${SET_SPEC[$1]}"
  for ((i = 0; i < days; i++)); do
    date -d "$day + $i day" +%F
  done
}

set_files() { # name; prints the set's files, day by day
  local day
  for day in $(set_days "$1"); do
    printf '%s\n' "$WORK/s3/logs/${day}_"*
  done
}

generate_set() { # name
  local day days files lines marker
  read -r day days files lines <<<"${SET_SPEC[$1]}"
  marker=$(set_marker "$1")
  if [[ -e $marker ]]; then
    return
  fi
  log "generating set $1: $days day(s) of $files files of $lines lines from $day"
  for day in $(set_days "$1"); do
    rm -f "$WORK/s3/logs/${day}_"*
  done
  read -r day _ <<<"${SET_SPEC[$1]}"
  java -jar "$GENERATOR" --path "$WORK/s3/logs" --days "$days" --files "$files" --lines "$lines" \
    --start-date "$day" >&2
  touch "$marker"
}

set_bytes() { set_files "$1" | xargs cat | wc -c; }

initiate() { # port, first day, last day (default: the first); prints the job id
  curl -sf -X POST "localhost:$1/initiate" -H 'Content-Type: application/json' \
    -d "{\"start_date\":\"$2\",\"end_date\":\"${3:-$2}\"}" | sed -E 's/.*"download_id":"([^"]+)".*/\1/'
}

await_done() { # port, id
  local status
  while true; do
    status=$(curl -s "localhost:$1/status/$2")
    case $status in
      *'"state":"DONE"'*) return 0 ;;
      *'"state":"FAILED"'*) log "job $2 failed: $status"; exit 1 ;;
    esac
    sleep 0.05
  done
}

JOB_ID= JOB_SECONDS=
run_job() { # port, first day, last day: one job from initiate to DONE; sets JOB_ID and JOB_SECONDS
  local start
  start=$(now)
  JOB_ID=$(initiate "$1" "$2" "$3")
  await_done "$1" "$JOB_ID"
  JOB_SECONDS=$(elapsed_since "$start")
}

peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
CLOCK_TICKS=$(getconf CLK_TCK)
# user + system CPU seconds a running process has used so far
cpu_seconds() { awk -v hz="$CLOCK_TICKS" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
per_run() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.2f", (b - a) / n }'; }

speed_of() { # curl arguments; prints bytes/s of one GET to /dev/null
  curl -s -o /dev/null -w '%{speed_download}' "$@"
}

time_sort() { # output file, sort options...; prints "seconds cpu-seconds" (CPU: user + system of sort)
  local out=$1
  shift
  # a subshell's `times` reports the CPU of its finished children: here, sort alone
  (
    start=$(now)
    LC_ALL=C sort -m "$@" >"$out"
    printf '%s ' "$(elapsed_since "$start")"
    # not `times | awk`: the pipeline would fork `times`, and a forked child starts with no children's CPU
    times >"$out.times"
    awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); cpu += t[1] * 60 + t[2] } printf "%.2f\n", cpu }' "$out.times"
    rm -f "$out.times"
  )
}

RESULTS=()
CPU_RESULTS=()
# each set's `sort -m` (default settings) median, the yardstick of the embedded default run too
declare -A SORT_DEFAULT=()
# each set's last result and its size, for the download test
declare -A DOWNLOAD_IDS=() DOWNLOAD_BYTES=()
bench_set() { # name
  local name=$1 day days files lines last_day bytes merge_pid rss
  read -r day days files lines <<<"${SET_SPEC[$name]}"
  files=$((days * files))
  last_day=$(set_days "$name" | tail -n 1)
  bytes=$(set_bytes "$name")
  log "set $name: $files inputs, $bytes bytes; load $(load)"

  # a fresh merge JVM per set, so its peak RSS belongs to this set
  # shellcheck disable=SC2086
  start_jvm "$WORK/merge-$name.log" env S3_ENDPOINT="$S3_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    HTTP_PORT="$HTTP_PORT" MERGE_SLOTS=1 MERGE_READ_AHEAD="$MERGE_READ_AHEAD" ${FAN_IN:+MERGE_FAN_IN="$FAN_IN"} \
    ${GROUP_SIZE:+MERGE_GROUP_SIZE="$GROUP_SIZE"} \
    java $MERGE_JVM_OPTS -jar "$LOGMERGE" all
  merge_pid=$STARTED_PID
  wait_for_http "localhost:$HTTP_PORT/status/none" 60
  # the first job of a fresh JVM also pays for JIT-compiling the SDK, Netty and the merge: reported apart, as a
  # long-running service pays it once
  local cold
  run_job "$HTTP_PORT" "$day" "$last_day"
  cold=$JOB_SECONDS
  log "  cold merge (JIT warm-up): $cold s, load $(load)"
  local merge_times=() merge_cpu_before s3_cpu_before merge_cpu s3_cpu complete_s
  merge_cpu_before=$(cpu_seconds "$merge_pid")
  s3_cpu_before=$(cpu_seconds "$S3_PID")
  for ((run = 1; run <= RUNS; run++)); do
    run_job "$HTTP_PORT" "$day" "$last_day"
    merge_times+=("$JOB_SECONDS")
    log "  merge run $run: ${merge_times[-1]} s, load $(load)"
  done
  # CPU per warm job of both JVMs on the machine: the merge JVM, and the embedded S3 serving and storing it
  merge_cpu=$(per_run "$merge_cpu_before" "$(cpu_seconds "$merge_pid")" "$RUNS")
  s3_cpu=$(per_run "$s3_cpu_before" "$(cpu_seconds "$S3_PID")" "$RUNS")
  rss=$(peak_rss_mb "$merge_pid")
  # the part of each job after the last part: S3 assembling the object (MultipartSink logs it)
  complete_s=$(grep -o 'S3 took [0-9]* ms to complete' "$WORK/merge-$name.log" | tail -n "$RUNS" \
    | awk '{ print $3 / 1000 }' | median)
  # kept for the download test, which the http role serves (bench_api)
  DOWNLOAD_IDS[$name]=$JOB_ID
  curl -sf -o "$WORK/merged-$name.log" "localhost:$HTTP_PORT/download/$JOB_ID"
  DOWNLOAD_BYTES[$name]=$(stat -c %s "$WORK/merged-$name.log")
  stop_jvm "$merge_pid"

  local inputs sort_default=() sort_batched=() sort_cpu=() timed
  mapfile -t inputs < <(set_files "$name")
  for ((run = 1; run <= RUNS; run++)); do
    timed=$(time_sort "$WORK/sorted-$name.log" "${inputs[@]}")
    sort_default+=("${timed% *}")
    if ((files <= BATCHED_MAX)); then
      timed=$(time_sort "$WORK/sorted-batched-$name.log" --batch-size="$files" "${inputs[@]}")
    else
      cp "$WORK/sorted-$name.log" "$WORK/sorted-batched-$name.log"
      timed="n/a n/a"
    fi
    sort_batched+=("${timed% *}")
    sort_cpu+=("${timed#* }")
    log "  sort -m run $run: ${sort_default[-1]} s, --batch-size=$files: ${sort_batched[-1]} s (CPU ${sort_cpu[-1]} s)"
  done
  local same=no
  cmp -s "$WORK/merged-$name.log" "$WORK/sorted-$name.log" && cmp -s "$WORK/sorted-$name.log" "$WORK/sorted-batched-$name.log" && same=yes
  rm -f "$WORK/merged-$name.log" "$WORK/sorted-$name.log" "$WORK/sorted-batched-$name.log"

  local t_merge t_sort t_batched c_batched
  t_merge=$(median_of "${merge_times[@]}")
  t_sort=$(median_of "${sort_default[@]}")
  SORT_DEFAULT[$name]=$t_sort
  t_batched=n/a c_batched=n/a
  if ((files <= BATCHED_MAX)); then
    t_batched=$(median_of "${sort_batched[@]}")
    c_batched=$(median_of "${sort_cpu[@]}")
  fi
  RESULTS+=("$(printf '| %s | %d | %d | %s | %s | %s | %s | %s (%s×) | %s (%s×) | %s | %s |' \
    "$name" "$files" $((bytes / 1000000)) "$t_merge" "$(mbps "$bytes" "$t_merge")" "$cold" "$rss" \
    "$t_sort" "$(ratio "$t_merge" "$t_sort")" "$t_batched" \
    "$( ((files <= BATCHED_MAX)) && ratio "$t_merge" "$t_batched" || echo n/a)" "$same" "$(load)")")
  # no job on this machine can end before its CPU fits in the cores, nor before S3 has assembled the object
  CPU_RESULTS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s |' "$name" "$t_merge" "$merge_cpu" "$s3_cpu" \
    "$(awk -v a="$merge_cpu" -v b="$s3_cpu" -v n="$(nproc)" 'BEGIN { printf "%.2f", (a + b) / n }')" \
    "$complete_s" "$t_batched" "$c_batched")")
}

EMBEDDED_RESULTS=()
bench_embedded() { # name: the first impression, `java -jar logmerge.jar` as the README runs it (role all, its own
  # embedded S3 and Redis in the one JVM, default JVM flags), over the same files
  local name=$1 day last_day bytes pid times=() cpu_before cpu
  read -r day _ <<<"${SET_SPEC[$name]}"
  last_day=$(set_days "$name" | tail -n 1)
  bytes=$(set_bytes "$name")
  start_jvm "$WORK/embedded-$name.log" java -jar "$LOGMERGE" all --data-dir "$WORK/s3" --http-port "$EMBEDDED_HTTP_PORT" \
    --embedded-s3-port "$EMBEDDED_S3_PORT" --embedded-redis-port "$EMBEDDED_REDIS_PORT" --cluster-name "bench-embedded-$$"
  pid=$STARTED_PID
  wait_for_http "localhost:$EMBEDDED_HTTP_PORT/status/none" 90
  run_job "$EMBEDDED_HTTP_PORT" "$day" "$last_day" # cold: JIT warm-up, as in bench_set
  cpu_before=$(cpu_seconds "$pid")
  for ((run = 1; run <= RUNS; run++)); do
    run_job "$EMBEDDED_HTTP_PORT" "$day" "$last_day"
    times+=("$JOB_SECONDS")
    log "  embedded default, set $name, run $run: ${times[-1]} s, load $(load)"
  done
  cpu=$(per_run "$cpu_before" "$(cpu_seconds "$pid")" "$RUNS")
  local rss t
  rss=$(peak_rss_mb "$pid")
  stop_jvm "$pid"
  t=$(median_of "${times[@]}")
  EMBEDDED_RESULTS+=("$(printf '| %s | %d | %s | %s | %s (%s×) | %s | %s |' "$name" $((bytes / 1000000)) "$t" "$cpu" \
    "${SORT_DEFAULT[$name]}" "$(ratio "$t" "${SORT_DEFAULT[$name]}")" "$rss" "$(load)")")
}

wrk_once() { # wrk arguments; prints the requests/s of one run
  wrk -t2 -c64 -d"${WRK_SECONDS}s" "$@" | awk '/Requests\/sec/ { print $2 }'
}

wrk_rate() { # wrk arguments; prints the median requests/s of RUNS runs
  local rates=()
  for ((run = 1; run <= RUNS; run++)); do
    rates+=("$(wrk_once "$@")")
  done
  median_of "${rates[@]}"
}

bench_api() {
  # an http-only JVM and no merge worker anywhere: jobs stay QUEUED, so /download answers 202 from Redis
  local http_pid id initiate_lua poll_lua ids_file
  # shellcheck disable=SC2086
  start_jvm "$WORK/http.log" env S3_ENDPOINT="$S3_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    HTTP_PORT="$API_PORT" CLUSTER_NAME="bench-$$" CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 \
    MAX_QUEUED_JOBS=10000000 java $HTTP_JVM_OPTS -jar "$LOGMERGE" http
  http_pid=$STARTED_PID
  wait_for_http "localhost:$API_PORT/status/none" 90
  # a fresh JVM relays its first gigabytes through code it has not compiled yet: warm it on the last (largest
  # usually) result before any download is measured, so the first set measured does not pay for the JIT alone
  local last=""
  for last in $SETS; do :; done
  if [[ -n $last ]]; then # no sets (BENCH_SETS empty): only the API load test, nothing to download
    for ((run = 1; run <= 3; run++)); do
      curl -sf -o /dev/null "localhost:$API_PORT/download/${DOWNLOAD_IDS[$last]}"
    done
    curl -sf --compressed -o /dev/null "localhost:$API_PORT/download/${DOWNLOAD_IDS[$last]}"
  fi
  # the opt-in redirect mode on a second http JVM: /download answers 307 to a presigned URL on S3_PUBLIC_ENDPOINT,
  # which curl follows (-L), so the bytes come from S3 directly
  # shellcheck disable=SC2086
  start_jvm "$WORK/http-redirect.log" env S3_ENDPOINT="$S3_URL" S3_PUBLIC_ENDPOINT="$S3_URL" \
    REDIS_URL="redis://127.0.0.1:$REDIS_PORT" HTTP_PORT="$REDIRECT_PORT" CLUSTER_NAME="bench-redirect-$$" \
    CLUSTER_HOST=127.0.0.1 CLUSTER_MEMBERS=127.0.0.1 java $HTTP_JVM_OPTS -jar "$LOGMERGE" http
  REDIRECT_PID=$STARTED_PID
  wait_for_http "localhost:$REDIRECT_PORT/status/none" 90
  for name in $SETS; do
    bench_download "$name" "$http_pid"
  done
  stop_jvm "$REDIRECT_PID"
  id=$(initiate "$API_PORT" 1990-01-01)
  # real clients poll jobs of their own: many distinct ids, so no answer can come from a cache of one hot job
  ids_file=$WORK/poll-ids.txt
  for ((n = 0; n < POLL_IDS; n++)); do
    echo "$(initiate "$API_PORT" 1990-01-01)"
  done >"$ids_file"
  poll_lua=$WORK/poll-many.lua
  cat >"$poll_lua" <<'LUA'
-- GET /download/{id} over the ids in the file given after "--", in turn, each thread from its own start
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("first", threads * 499)
end
local requests = {}
local next_request = 1
function init(args)
  for id in io.lines(args[1]) do
    requests[#requests + 1] = wrk.format("GET", "/download/" .. id)
  end
  next_request = first % #requests
end
function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end
LUA
  initiate_lua=$WORK/initiate.lua
  cat >"$initiate_lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- a range with no input files: each request queues a real job, which no worker here will run
wrk.body = '{"start_date":"1990-01-01","end_date":"1990-01-02"}'
LUA
  # a fresh JVM spends its first seconds under load compiling the hot paths: one unmeasured run per route, so
  # the first measured route (the baseline of the ratios) is not the one that pays for it
  log "API warm-up (wrk, ${WRK_SECONDS}s per route, not measured), load $(load)"
  each_api_route warm_up "$id" "$poll_lua" "$ids_file" "$initiate_lua"
  log "API load test (wrk -t2 -c64, ${WRK_SECONDS}s × $RUNS), load $(load)"
  API_RESULTS=()
  each_api_route api_row "$id" "$poll_lua" "$ids_file" "$initiate_lua"
  if ((METRICS_COMPARE)); then
    METRICS_ON_PID=$http_pid
    bench_metrics_cost "$id" "$poll_lua" "$ids_file" "$initiate_lua"
  fi
  stop_jvm "$http_pid"
}

bench_metrics_cost() { # job id, poll script, ids file, initiate script: the API with metrics on (the http JVM
  # above, as deployed by default) against a second http JVM with METRICS_ENABLED=false, on the same Redis
  local off_pid
  # shellcheck disable=SC2086
  start_jvm "$WORK/http-metrics-off.log" env S3_ENDPOINT="$S3_URL" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
    HTTP_PORT="$METRICS_OFF_PORT" CLUSTER_NAME="bench-metrics-off-$$" CLUSTER_HOST=127.0.0.1 \
    CLUSTER_MEMBERS=127.0.0.1 MAX_QUEUED_JOBS=10000000 METRICS_ENABLED=false java $HTTP_JVM_OPTS -jar "$LOGMERGE" http
  off_pid=$STARTED_PID
  METRICS_OFF_PID=$off_pid
  wait_for_http "localhost:$METRICS_OFF_PORT/status/none" 90
  log "API with metrics off: warm-up (wrk, ${WRK_SECONDS}s per route, not measured), load $(load)"
  each_api_route warm_up_metrics_off "$@"
  log "API, metrics on against off (wrk -t2 -c64, ${WRK_SECONDS}s × $RUNS each, alternating), load $(load)"
  METRICS_RESULTS=()
  each_api_route metrics_row "$@"
  stop_jvm "$off_pid"
}

on_metrics_off_jvm() { # wrk arguments aimed at the http JVM: the same aimed at the one without metrics
  printf '%s\n' "${@//127.0.0.1:$API_PORT/127.0.0.1:$METRICS_OFF_PORT}"
}

warm_up_metrics_off() { # label, wrk arguments
  shift
  local off
  mapfile -t off < <(on_metrics_off_jvm "$@")
  wrk -t2 -c64 -d"${WRK_SECONDS}s" "${off[@]}" >/dev/null
}

wrk_cpu_once() { # pid of the JVM under test, wrk arguments; prints the requests/s of one run and that JVM's CPU
  # (user + system) per request in microseconds, which a busy machine disturbs less than the rate
  local pid=$1 cpu_before out
  shift
  cpu_before=$(cpu_seconds "$pid")
  out=$(wrk -t2 -c64 -d"${WRK_SECONDS}s" "$@")
  awk -v before="$cpu_before" -v after="$(cpu_seconds "$pid")" '
    / requests in / { requests = $1 }
    /Requests\/sec/ { rate = $2 }
    END { printf "%s %.2f\n", rate, (after - before) * 1e6 / requests }' <<<"$out"
}

metrics_row() { # label, wrk arguments: RUNS runs on each JVM, in turn, the first one alternating
  local label=$1 on=() off=() on_cpu=() off_cpu=() off_args run
  shift
  mapfile -t off_args < <(on_metrics_off_jvm "$@")
  for ((run = 1; run <= RUNS; run++)); do
    if ((run % 2)); then
      metrics_run on "$@"
      metrics_run off "${off_args[@]}"
    else
      metrics_run off "${off_args[@]}"
      metrics_run on "$@"
    fi
  done
  local on_rate off_rate on_us off_us
  on_rate=$(median_of "${on[@]}")
  off_rate=$(median_of "${off[@]}")
  on_us=$(median_of "${on_cpu[@]}")
  off_us=$(median_of "${off_cpu[@]}")
  log "  $label: metrics on $on_rate, off $off_rate requests/s (runs: on ${on[*]}; off ${off[*]});" \
    "JVM CPU µs per request on $on_us, off $off_us (runs: on ${on_cpu[*]}; off ${off_cpu[*]}), load $(load)"
  local rates="$on_rate | $off_rate | $(ratio "$on_rate" "$off_rate")"
  local cpu="$on_us | $off_us | $(ratio "$on_us" "$off_us")"
  METRICS_RESULTS+=("| $label | $rates | $cpu | $(load) |")
}

metrics_run() { # on|off, wrk arguments: one run on that JVM, added to metrics_row's lists
  local side=$1 rate cpu
  shift
  if [[ $side == on ]]; then
    read -r rate cpu < <(wrk_cpu_once "$METRICS_ON_PID" "$@")
    on+=("$rate")
    on_cpu+=("$cpu")
  else
    read -r rate cpu < <(wrk_cpu_once "$METRICS_OFF_PID" "$@")
    off+=("$rate")
    off_cpu+=("$cpu")
  fi
}

DOWNLOAD_RESULTS=()
bench_download() { # set name, pid of the http JVM: its last result through /download, against a direct GET from S3
  local name=$1 http_pid=$2 id=${DOWNLOAD_IDS[$1]} bytes=${DOWNLOAD_BYTES[$1]} ours=() direct=() redirected=()
  local gzipped=() cpu_before cpu gzip_cpu seconds compressed
  # downloads are the http role's work in a deployment: measured on that JVM, once it has compiled the relay
  cpu_before=$(cpu_seconds "$http_pid")
  for ((run = 1; run <= RUNS; run++)); do
    ours+=("$(speed_of "localhost:$API_PORT/download/$id")")
    direct+=("$(speed_of "${S3_GET[@]}" "$S3_URL/merged/$id.log")")
  done
  cpu=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$http_pid")" -v n="$RUNS" -v gb="$bytes" \
    'BEGIN { printf "%.2f", (b - a) / n / (gb / 1e9) }')
  # gzip-encoded on the fly (Accept-Encoding: gzip), decompressed by curl as a user's would be: MB/s of the file
  # itself (curl's own speed counts the compressed bytes), and the http JVM's CPU per GB of the file
  cpu_before=$(cpu_seconds "$http_pid")
  for ((run = 1; run <= RUNS; run++)); do
    read -r seconds compressed < <(curl -sf --compressed -o /dev/null -w '%{time_total} %{size_download}\n' \
      "localhost:$API_PORT/download/$id")
    [[ -n ${seconds:-} ]] || { log "gzip download of $name failed"; exit 1; }
    gzipped+=("$(awk -v b="$bytes" -v s="$seconds" 'BEGIN { printf "%.0f", b / s }')")
  done
  gzip_cpu=$(awk -v a="$cpu_before" -v b="$(cpu_seconds "$http_pid")" -v n="$RUNS" -v gb="$bytes" \
    'BEGIN { printf "%.2f", (b - a) / n / (gb / 1e9) }')
  for ((run = 1; run <= RUNS; run++)); do
    redirected+=("$(speed_of -L "localhost:$REDIRECT_PORT/download/$id")")
  done
  local s_ours s_direct s_redirected s_gzipped
  s_ours=$(median_of "${ours[@]}")
  s_direct=$(median_of "${direct[@]}")
  s_redirected=$(median_of "${redirected[@]}")
  s_gzipped=$(median_of "${gzipped[@]}")
  log "  download $name: $(mbps "$s_ours" 1) MB/s, direct GET $(mbps "$s_direct" 1) MB/s," \
    "gzip $(mbps "$s_gzipped" 1) MB/s of the file, 307 + GET $(mbps "$s_redirected" 1) MB/s, load $(load)"
  DOWNLOAD_RESULTS+=("$(printf '| %s | %d | %s | %s | %s× | %s | %s | %s× | %s | %s %% | %s | %s× | %s |' "$name" \
    $((bytes / 1000000)) "$(mbps "$s_ours" 1)" "$(mbps "$s_direct" 1)" "$(ratio "$s_ours" "$s_direct")" "$cpu" \
    "$(mbps "$s_gzipped" 1)" "$(ratio "$s_gzipped" "$s_ours")" "$gzip_cpu" \
    "$(awk -v c="$compressed" -v b="$bytes" 'BEGIN { printf "%.1f", 100 * c / b }')" \
    "$(mbps "$s_redirected" 1)" "$(ratio "$s_redirected" "$s_direct")" "$(load)")")
}

each_api_route() { # command, job id, poll script, ids file, initiate script: runs "command label wrk-args..." per route
  local run=$1 id=$2 poll_lua=$3 ids_file=$4 initiate_lua=$5
  "$run" "GET /no-such-route (404, no Redis)" "http://127.0.0.1:$API_PORT/no-such-route"
  "$run" "GET /download/{id} of a QUEUED job (202), one id" "http://127.0.0.1:$API_PORT/download/$id"
  "$run" "GET /download/{id} of QUEUED jobs (202), $POLL_IDS ids in turn" \
    -s "$poll_lua" "http://127.0.0.1:$API_PORT" -- "$ids_file"
  "$run" "POST /initiate (201, queues a job)" -s "$initiate_lua" "http://127.0.0.1:$API_PORT/initiate"
}

warm_up() { # label, wrk arguments
  shift
  wrk -t2 -c64 -d"${WRK_SECONDS}s" "$@" >/dev/null
}

API_BASELINE=
api_row() { # label, wrk arguments; the first row is the baseline the others are compared with
  local label=$1 rate
  shift
  rate=$(wrk_rate "$@")
  API_BASELINE=${API_BASELINE:-$rate}
  log "  $label: $rate requests/s, load $(load)"
  API_RESULTS+=("| $label | $rate | $(ratio "$rate" "$API_BASELINE") | $(load) |")
}

main() {
  [[ -f $LOGMERGE && -f $GENERATOR ]] || { log "build first: mvn -B -q -DskipTests package"; exit 1; }
  mkdir -p "$WORK/s3/logs"
  for name in $SETS; do
    generate_set "$name"
  done
  rm -rf "$WORK/s3/merged"
  start_jvm "$WORK/services.log" java -jar "$LOGMERGE" services --data-dir "$WORK/s3" \
    --embedded-s3-port "$S3_PORT" --embedded-redis-port "$REDIS_PORT"
  S3_PID=$STARTED_PID
  wait_for_http "$S3_URL" 60

  for name in $SETS; do
    bench_set "$name"
  done
  for name in $EMBEDDED_SETS; do
    [[ -n ${SORT_DEFAULT[$name]:-} ]] && bench_embedded "$name"
  done
  if ((API)); then
    bench_api
  fi
  stop_jvm "$S3_PID"
  # the results of every job (4 × 1 GB for L alone): the inputs stay for the next run
  rm -rf "$WORK/s3/merged"

  echo
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1e6 }' /proc/meminfo), $(java -version 2>&1 | head -1)"
  echo "merge JVM: MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX MERGE_SLOTS=1 MERGE_READ_AHEAD=$MERGE_READ_AHEAD${FAN_IN:+ MERGE_FAN_IN=$FAN_IN}${GROUP_SIZE:+ MERGE_GROUP_SIZE=$GROUP_SIZE} $MERGE_JVM_OPTS; medians of $RUNS runs; ratios are ours / theirs (time: lower is better)"
  echo "http JVM (download and API tests): $HTTP_JVM_OPTS"
  if ((${#RESULTS[@]} > 0)); then
    echo
    echo "| set | inputs | MB | initiate→DONE s | MB/s | cold s | peak RSS MB | sort -m s (ratio) | sort -m --batch-size=k s (ratio) | same bytes | load after |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${RESULTS[@]}"
    echo
    echo "CPU per warm job (user + system), and the floor it sets on $(nproc) cores:"
    echo
    echo "| set | initiate→DONE s | merge JVM CPU s | embedded S3 CPU s | (merge + S3 CPU) / cores s | S3 completing the upload s | sort -m --batch-size=k s | its CPU s |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${CPU_RESULTS[@]}"
  fi
  if ((${#EMBEDDED_RESULTS[@]} > 0)); then
    echo
    echo "The embedded default (java -jar logmerge.jar: role all, embedded S3 and Redis in one JVM, default flags), warm jobs:"
    echo
    echo "| set | MB | initiate→DONE s | JVM CPU s per job | sort -m s (ratio) | peak RSS MB | load after |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${EMBEDDED_RESULTS[@]}"
  fi
  if ((API)); then
    if ((${#RESULTS[@]} > 0)); then
      echo
      echo "Download of each set's result from the http JVM (warmed by 3 unmeasured downloads of the last set's result and a gzip one), against a direct GET, gzip-encoded (curl --compressed; MB/s of the file, ratio to the plain /download), and through the 307 of a second http JVM with S3_PUBLIC_ENDPOINT:"
      echo
      echo "| set | MB | /download MB/s | direct GET MB/s | ratio | http JVM CPU s per GB | gzip /download MB/s | ratio to /download | http JVM CPU s per GB, gzip | gzip size | 307 + GET MB/s (S3_PUBLIC_ENDPOINT) | ratio | load after |"
      echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
      printf '%s\n' "${DOWNLOAD_RESULTS[@]}"
    fi
    echo
    echo "| route | requests/s | ratio to the 404 route | load after |"
    echo "|---|---|---|---|"
    printf '%s\n' "${API_RESULTS[@]}"
    if ((METRICS_COMPARE)); then
      echo
      echo "The same routes with metrics on (the http JVM above) and off (METRICS_ENABLED=false), medians of $RUNS alternating runs:"
      echo
      echo "| route | metrics on req/s | metrics off req/s | on / off | JVM CPU µs per request, on | off | on / off | load after |"
      echo "|---|---|---|---|---|---|---|---|"
      printf '%s\n' "${METRICS_RESULTS[@]}"
    fi
  fi
}

main "$@"
