-- KEYS: job hash, running set. ARGV: id, worker id, lease ms, then progress field/value pairs.
-- Renews the lease and records progress; returns 1, or 0 when this worker no longer holds the job.
if not held_by(KEYS[1], ARGV[2]) then
  return 0
end
local now = now_ms()
local lease = now + tonumber(ARGV[3])
redis.call('HSET', KEYS[1], 'lease_until', lease, 'updated_at', now, unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], lease, ARGV[1])
return 1
