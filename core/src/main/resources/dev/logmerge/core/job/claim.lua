-- KEYS: queued set, running set. ARGV: job key prefix, worker id, lease ms, ttl ms.
-- Moves the oldest claimable queued job to RUNNING under this worker's lease and returns its hash
-- (flat field/value list); returns nil when nothing is claimable. Ids whose hash expired or left QUEUED
-- are dropped on the way.
local now = now_ms()
for _ = 1, 100 do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', queue_score(0), 'LIMIT', 0, 1)
  if #ids == 0 then
    return nil
  end
  local id = ids[1]
  redis.call('ZREM', KEYS[1], id)
  local job_key = ARGV[1] .. id
  if redis.call('HGET', job_key, 'state') == 'QUEUED' then
    local lease = now + tonumber(ARGV[3])
    redis.call('HSET', job_key, 'state', 'RUNNING', 'worker', ARGV[2], 'lease_until', lease, 'updated_at', now)
    redis.call('HSETNX', job_key, 'started_at', now)
    redis.call('HINCRBY', job_key, 'attempts', 1)
    redis.call('ZADD', KEYS[2], lease, id)
    redis.call('PEXPIRE', KEYS[2], ARGV[4])
    return redis.call('HGETALL', job_key)
  end
end
return nil
