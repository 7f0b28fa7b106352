#!/usr/bin/env bash
# Runs the README's usage examples exactly as written, against the service started exactly as the
# README says, then checks the downloaded file against GNU sort: the contract, by an independent tool.
# Needs the jar (mvn -B -q -DskipTests package) and free ports 6543, 9000 and 6379.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
log="$work/service.log"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid"
    wait "$service_pid" || true
  fi
  rm -rf "$work" merged.log merged-gz.log
}
trap cleanup EXIT

# the README's run command, minus the build that already happened
java -jar launcher/target/logmerge.jar >"$log" 2>&1 &
service_pid=$!
for _ in $(seq 1 120); do
  if curl -s -o /dev/null localhost:6543/status/00000000-0000-4000-8000-000000000000; then
    break
  fi
  if ! kill -0 "$service_pid" 2>/dev/null; then
    echo "the service exited during start:"; cat "$log"; exit 1
  fi
  sleep 0.5
done
echo "service up after start; running the README examples"

# the examples, extracted from between the README's markers
sed -n '/<!-- readme-example:start -->/,/<!-- readme-example:end -->/p' README.md \
  | sed -e '/^<!--/d' -e '/^```/d' >"$work/examples.sh"
bash -euo pipefail "$work/examples.sh" | tee "$work/examples.out"

expected="$work/expected.log"
LC_ALL=C sort miniodata/logs/2019-08-19_* miniodata/logs/2019-08-2[0-3]_* >"$expected"
if cmp -s merged.log "$expected"; then
  echo "README examples: merged.log equals LC_ALL=C sort of the inputs ($(wc -c <merged.log) bytes)"
else
  echo "README examples: merged.log differs from LC_ALL=C sort of the inputs"; exit 1
fi
# the compressed example must have received gzip, not the plain bytes again
received=$(sed -n 's/^\([0-9]*\) bytes received$/\1/p' "$work/examples.out")
if [ -z "$received" ] || [ $((received * 2)) -ge "$(wc -c <merged.log)" ]; then
  echo "README examples: the --compressed download received ${received:-no} bytes, not gzip"; exit 1
fi
output=$(cat "$work/examples.out")
first200=$(head -c 200 "$expected")
if [[ "$output" != *"$first200"* ]]; then
  echo "README examples: the Range example did not print the first 200 bytes"; exit 1
fi
if ! grep -qE '^logmerge_jobs_initiated_total 1(\.0)?$' "$work/examples.out"; then
  echo "README examples: /metrics did not count the one job initiated before it"; exit 1
fi
if ! grep -q '"cached":true' "$work/examples.out"; then
  echo "README examples: the second job of the same range was not served from the first's result"; exit 1
fi
if ! grep -qE '"state":"CANCELLED"|problems/job-finished' "$work/examples.out"; then
  echo "README examples: DELETE answered neither a cancelled job nor job-finished"; exit 1
fi

# the statistics of the examples' customer, once the reindex job is DONE: no day pending, and per day the requests
# that succeeded and failed (5xx) as awk counts them in the sample (every line of it is a request line)
expected_days=$(awk '$3 == "cust-000021" { day = substr($1, 1, 10); n[day]++; if ($6 >= 500) failed[day]++ }
  END { for (day in n) printf "{\"date\":\"%s\",\"success_requests\":%d,\"failed_requests\":%d\n",
    day, n[day] - failed[day], failed[day] }' miniodata/logs/2019-08-19_* miniodata/logs/2019-08-2[0-3]_* | sort)
actual_days=$(grep -oE '\{"date":"[0-9-]+","success_requests":[0-9]+,"failed_requests":[0-9]+' "$work/examples.out" \
  | sort)
if [ -z "$expected_days" ] || [ "$actual_days" != "$expected_days" ]; then
  echo "README examples: the statistics of cust-000021 differ from the sample's counts:"
  echo "expected:"; echo "$expected_days"; echo "got:"; echo "$actual_days"; exit 1
fi
if ! grep -q '"customer_id":"cust-000021".*"pending_days":\[\]' "$work/examples.out"; then
  echo "README examples: the statistics query still named pending days after the reindex job was DONE"; exit 1
fi
# the day's record: its three files, their bytes, and every line of them a request line
day_bytes=$(($(cat miniodata/logs/2019-08-20_* | wc -c)))
day_lines=$(($(cat miniodata/logs/2019-08-20_* | wc -l)))
day_record="\"inputs\":3,\"input_bytes\":$day_bytes,\"request_lines\":$day_lines,\"unparsed_lines\":0,"
if ! grep -qF "$day_record" "$work/examples.out"; then
  echo "README examples: GET /stats/days/2019-08-20 did not answer $day_record"; exit 1
fi

# SIGTERM stops the service cleanly, embedded Redis included
kill -TERM "$service_pid"
wait "$service_pid" || true
service_pid=""
if curl -s -o /dev/null localhost:6543/ || (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "after SIGTERM something still listens on 6543 or 6379"; exit 1
fi
echo "README examples: passed; SIGTERM left no server behind"
