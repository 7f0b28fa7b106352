-- KEYS: job hash, running set. ARGV: id, worker id, lease ms, then progress field/value pairs.
-- Renews the lease and records progress on the job this worker holds for the merge it started as `id`
-- (see held_as), and on the jobs waiting for that merge. Returns {1, id held}; {2} when the job was
-- cancelled; {0} when the worker no longer holds it.
local id, state = held_as(ARGV[1], ARGV[2])
if not id then
  return { state == 'CANCELLED' and 2 or 0 }
end
local now = now_ms()
local lease = now + tonumber(ARGV[3])
redis.call('HSET', JOB_PREFIX .. id, 'lease_until', lease, 'updated_at', now, unpack(ARGV, 4))
redis.call('ZADD', KEYS[2], lease, id)
for _, follower in ipairs(redis.call('ZRANGE', FOLLOWERS_PREFIX .. id, 0, -1)) do
  local key = JOB_PREFIX .. follower
  if redis.call('HGET', key, 'follows') == id then
    redis.call('HSET', key, 'updated_at', now, unpack(ARGV, 4))
    redis.call('ZADD', KEYS[2], 'XX', lease, follower)
  end
end
return { 1, id }
