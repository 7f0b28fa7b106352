-- KEYS: job hash, running set, queued set. ARGV: id, worker id, ttl ms, delay ms, attempts adjustment,
-- max attempts (0 = unlimited), error code, error message.
-- The holding worker hands the job back: QUEUED again after the delay (1), or FAILED with the error when
-- it has used its attempts (2). Returns 0 when this worker no longer holds the job.
if not held_by(KEYS[1], ARGV[2]) then
  return 0
end
local now = now_ms()
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', tonumber(ARGV[5]))
local max_attempts = tonumber(ARGV[6])
if max_attempts > 0 and attempts >= max_attempts then
  finish(KEYS[1], KEYS[2], ARGV[1], 'FAILED', ARGV[3], now, { 'error_code', ARGV[7], 'error_message', ARGV[8] })
  return 2
end
redis.call('HSET', KEYS[1], 'state', 'QUEUED', 'updated_at', now, 'error_code', ARGV[7], 'error_message', ARGV[8])
redis.call('HDEL', KEYS[1], 'worker', 'lease_until')
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], queue_score(tonumber(ARGV[4])), ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 1
