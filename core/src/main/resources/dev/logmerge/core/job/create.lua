-- KEYS: job hash, queued set. ARGV: id, start date, end date, ttl ms, max queued jobs.
-- Returns the new job's hash (flat field/value list), or 0 when the queue is full (nothing written).
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  return 0
end
local now = now_ms()
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'start_date', ARGV[2], 'end_date', ARGV[3], 'state', 'QUEUED',
  'created_at', now, 'updated_at', now, 'attempts', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], queue_score(0), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return redis.call('HGETALL', KEYS[1])
