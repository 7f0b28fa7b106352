-- KEYS: job hash, queued set, running set. ARGV: id, ttl ms.
-- Cancels a QUEUED or RUNNING job for good: its worker learns it on its next heartbeat and stops. Jobs
-- waiting for its merge are not cancelled with it: while it runs, the first of them takes its place under
-- the same worker and lease (the merge goes on, see held_as); while it is queued, they are queued again.
-- Returns {1, hash} once cancelled; {3, hash} when it was cancelled before (nothing changes); {2, hash} when
-- the job had already ended DONE or FAILED (nothing changes); {0} when there is no such job.
local id, ttl = ARGV[1], ARGV[2]
local fields = redis.call('HMGET', KEYS[1], 'state', 'follows', 'worker', 'lease_until', 'fingerprint')
local state = fields[1]
if not state then
  return { 0 }
end
if state == 'DONE' or state == 'FAILED' then
  return { 2, redis.call('HGETALL', KEYS[1]) }
end
if state == 'CANCELLED' then
  return { 3, redis.call('HGETALL', KEYS[1]) }
end
local now = now_ms()
if fields[2] then
  -- it only waited for another job's merge: it stops waiting
  redis.call('ZREM', FOLLOWERS_PREFIX .. fields[2], id)
else
  local followers_key = FOLLOWERS_PREFIX .. id
  local heir = nil
  if state == 'RUNNING' then
    for _, follower in ipairs(redis.call('ZRANGE', followers_key, 0, -1)) do
      if redis.call('HGET', JOB_PREFIX .. follower, 'follows') == id then
        heir = follower
        break
      end
    end
  end
  if heir then
    local heir_key = JOB_PREFIX .. heir
    redis.call('ZREM', followers_key, heir)
    redis.call('HSET', heir_key, 'worker', fields[3], 'lease_until', fields[4], 'updated_at', now)
    redis.call('HDEL', heir_key, 'follows')
    redis.call('HINCRBY', heir_key, 'attempts', 1)
    redis.call('ZADD', KEYS[3], fields[4], heir)
    local heir_followers_key = FOLLOWERS_PREFIX .. heir
    -- the others wait for the heir now (WITHSCORES alternates member and score)
    local rest = redis.call('ZRANGE', followers_key, 0, -1, 'WITHSCORES')
    for i = 1, #rest, 2 do
      local key = JOB_PREFIX .. rest[i]
      if redis.call('HGET', key, 'follows') == id then
        redis.call('HSET', key, 'follows', heir)
        redis.call('ZADD', heir_followers_key, rest[i + 1], rest[i])
      end
    end
    redis.call('DEL', followers_key)
    redis.call('PEXPIRE', heir_followers_key, ttl)
    if fields[5] then
      redis.call('SET', MERGING_PREFIX .. fields[5], heir, 'PX', ttl)
    end
    redis.call('HSET', KEYS[1], 'handed_to', heir)
  else
    requeue_followers(id, KEYS[3], KEYS[2], ttl, now)
    if fields[5] and redis.call('GET', MERGING_PREFIX .. fields[5]) == id then
      redis.call('DEL', MERGING_PREFIX .. fields[5])
    end
  end
end
redis.call('HSET', KEYS[1], 'state', 'CANCELLED', 'cancelled_at', now, 'finished_at', now, 'updated_at', now)
redis.call('HDEL', KEYS[1], 'lease_until', 'follows')
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('PEXPIRE', KEYS[1], ttl)
return { 1, redis.call('HGETALL', KEYS[1]) }
