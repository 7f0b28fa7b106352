-- KEYS: job hash, queued set. ARGV: id, start date, end date, ttl ms, max queued jobs, kind.
-- Returns the new job's hash (flat field/value list), or 0 when the queue is full (nothing written).
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  return 0
end
create_job(ARGV[1], ARGV[6], ARGV[2], ARGV[3], ARGV[4])
return redis.call('HGETALL', KEYS[1])
