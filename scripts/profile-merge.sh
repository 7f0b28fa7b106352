#!/usr/bin/env bash
# Where a merge JVM's CPU goes (docs/BENCHMARKS.md, "Profiles"): serves a data set of scripts/bench-e2e.sh from
# embedded S3, runs one cold and then PROFILE_RUNS warm jobs of it in a merge JVM with the production flags, and
# prints the CPU per warm job of that JVM, of the embedded S3, and of the merge JVM's threads grouped by name
# (merge thread, S3 client event loops, GC, JIT, ...). Run scripts/bench-e2e.sh once first: it generates the data.
#
# Usage: scripts/profile-merge.sh [day]   (default 2030-02-01, set L)
# Knobs (environment): BENCH_DIR (default ./bench-data), LOGMERGE_JAR (default launcher/target/logmerge.jar),
# PROFILE_RUNS (warm jobs, default 2), MERGE_JVM_OPTS (default: the flags of scripts/bench-e2e.sh),
# PROFILE_JVM_OPTS (appended to them, e.g. -XX:StartFlightRecording=filename=merge.jfr,settings=profile),
# PROFILE_PERF=1 (also `perf record -g` both JVMs during the warm jobs, into $BENCH_DIR/perf.data; needs perf and
# adds -XX:+PreserveFramePointer and a perf map at exit), BENCH_PORT_BASE (default 19700; uses it to +2).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$ROOT/bench-data}
DAY=${1:-2030-02-01}
RUNS=${PROFILE_RUNS:-2}
LOGMERGE=${LOGMERGE_JAR:-$ROOT/launcher/target/logmerge.jar}
MERGE_JVM_OPTS=${MERGE_JVM_OPTS:-"-Xmx96m -XX:+UseSerialGC -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=1000 -XX:SurvivorRatio=4 -XX:TargetSurvivorRatio=90 -XX:TieredStopAtLevel=1"}
EXTRA_OPTS=${PROFILE_JVM_OPTS:-}
# every timed job merges: the result cache would answer repeated runs from the first one's result
export RESULT_CACHE=false
PORT_BASE=${BENCH_PORT_BASE:-19700}
S3_PORT=$PORT_BASE
REDIS_PORT=$((PORT_BASE + 1))
HTTP_PORT=$((PORT_BASE + 2))
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
if [[ -n ${PROFILE_PERF:-} ]]; then
  EXTRA_OPTS="$EXTRA_OPTS -XX:+PreserveFramePointer -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
fi

[[ -d $WORK/s3/logs ]] || { echo "no data in $WORK/s3/logs: run scripts/bench-e2e.sh first" >&2; exit 1; }
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

CLOCK_TICKS=$(getconf CLK_TCK)
# user + system seconds of a process or thread; the name in field 2 may hold spaces, so count from its end
cpu_of() { sed 's/.*) //' "$1" | awk -v hz="$CLOCK_TICKS" '{ printf "%.2f", ($12 + $13) / hz }'; }
# "group seconds" per thread of a process, threads grouped by their name without digits
threads_of() {
  local task
  for task in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr -d '0-9' <"$task/comm" | tr ' ' '_')" "$(cpu_of "$task/stat")"
  done
}

# shellcheck disable=SC2086
java -jar "$LOGMERGE" services --data-dir "$WORK/s3" --embedded-s3-port "$S3_PORT" \
  --embedded-redis-port "$REDIS_PORT" >"$WORK/profile-services.log" 2>&1 &
S3_PID=$!
PIDS+=("$S3_PID")
until curl -s -o /dev/null "http://127.0.0.1:$S3_PORT"; do sleep 0.2; done
# an answer from another process on the port would profile the wrong store
kill -0 "$S3_PID" 2>/dev/null || { cat "$WORK/profile-services.log" >&2; exit 1; }
# shellcheck disable=SC2086
env S3_ENDPOINT="http://127.0.0.1:$S3_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT" HTTP_PORT="$HTTP_PORT" \
  MERGE_SLOTS=1 MERGE_READ_AHEAD=4MiB CLUSTER_NAME="profile-$$" \
  java $MERGE_JVM_OPTS $EXTRA_OPTS -jar "$LOGMERGE" all >"$WORK/profile-merge.log" 2>&1 &
MERGE_PID=$!
PIDS+=("$MERGE_PID")
until curl -s -o /dev/null "localhost:$HTTP_PORT/status/none"; do sleep 0.2; done
kill -0 "$MERGE_PID" 2>/dev/null || { tail -5 "$WORK/profile-merge.log" >&2; exit 1; }

job() { # prints the seconds from initiate to DONE
  local id start status
  id=$(curl -sf -X POST "localhost:$HTTP_PORT/initiate" -H 'Content-Type: application/json' \
    -d "{\"start_date\":\"$DAY\",\"end_date\":\"$DAY\"}" | sed -E 's/.*"download_id":"([^"]+)".*/\1/')
  start=$(date +%s.%N)
  while true; do
    status=$(curl -s "localhost:$HTTP_PORT/status/$id")
    case $status in
      *'"state":"DONE"'*) break ;;
      *'"state":"FAILED"'*) echo "job $id failed: $status" >&2; exit 1 ;;
    esac
    sleep 0.05
  done
  awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'
}

echo "cold job: $(job) s"
before_merge=$(cpu_of "/proc/$MERGE_PID/stat")
before_s3=$(cpu_of "/proc/$S3_PID/stat")
threads_before=$(threads_of "$MERGE_PID")
if [[ -n ${PROFILE_PERF:-} ]]; then
  perf record -F 499 -g -o "$WORK/perf.data" -p "$MERGE_PID,$S3_PID" >"$WORK/perf.log" 2>&1 &
  PERF_PID=$!
fi
for ((run = 1; run <= RUNS; run++)); do
  echo "warm job $run: $(job) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
done
if [[ -n ${PROFILE_PERF:-} ]]; then
  kill -INT "$PERF_PID"
  wait "$PERF_PID" || true
fi
per_job() { awk -v a="$1" -v b="$2" -v n="$RUNS" 'BEGIN { printf "%.2f", (b - a) / n }'; }
echo "CPU per warm job: merge JVM $(per_job "$before_merge" "$(cpu_of "/proc/$MERGE_PID/stat")") s," \
  "embedded S3 $(per_job "$before_s3" "$(cpu_of "/proc/$S3_PID/stat")") s;" \
  "merge JVM peak RSS $(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$MERGE_PID/status") MB"
echo "merge JVM threads, CPU s per warm job (threads that ended during the jobs are not counted):"
# threads that started during the jobs count from zero
awk -v n="$RUNS" 'NR == FNR { before[$1] += $2; next } { after[$1] += $2 }
  END { for (t in after) { d = (after[t] - before[t]) / n; if (d >= 0.05) printf "  %-28s %6.2f\n", t, d } }' \
  <(echo "$threads_before") <(threads_of "$MERGE_PID") | sort -k2 -rn
kill "$MERGE_PID"
wait "$MERGE_PID" 2>/dev/null || true
if [[ -n ${PROFILE_PERF:-} ]]; then
  echo "perf: perf report -i $WORK/perf.data --no-children --sort comm,dso,sym -g none"
fi
