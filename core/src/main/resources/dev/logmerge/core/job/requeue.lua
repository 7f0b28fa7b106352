-- KEYS: job hash, running set, queued set. ARGV: id, worker id, ttl ms, delay ms, attempts adjustment,
-- max attempts (0 = unlimited), error code, error message.
-- The holding worker hands the job back: QUEUED again after the delay ({1}), or FAILED with the error when
-- it has used its attempts ({2, number of waiting jobs failed with it}). Applies to the job this worker holds
-- for the merge it started as `id` (see held_as); jobs waiting for that merge wait on while it is queued, and
-- fail with it. Returns {0} when this worker no longer holds the job.
local id = held_as(ARGV[1], ARGV[2])
if not id then
  return { 0 }
end
local job_key = JOB_PREFIX .. id
local now = now_ms()
local attempts = redis.call('HINCRBY', job_key, 'attempts', tonumber(ARGV[5]))
local max_attempts = tonumber(ARGV[6])
if max_attempts > 0 and attempts >= max_attempts then
  local followers = finish(job_key, KEYS[2], id, 'FAILED', ARGV[3], now,
    { 'error_code', ARGV[7], 'error_message', ARGV[8] })
  return { 2, followers }
end
redis.call('HSET', job_key, 'state', 'QUEUED', 'updated_at', now, 'error_code', ARGV[7], 'error_message', ARGV[8])
redis.call('HDEL', job_key, 'worker', 'lease_until')
redis.call('ZREM', KEYS[2], id)
redis.call('ZADD', KEYS[3], queue_score(tonumber(ARGV[4])), id)
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return { 1 }
