-- KEYS: job hash, running set, queued set. ARGV: id, worker id, input fingerprint, ttl ms, lease ms.
-- Called once the worker holding the job has listed its inputs. Ends the job DONE with the result already
-- merged from the same inputs, if one is remembered: {2, hash}. Else, when another job is merging the same
-- inputs (queued or running), makes this one wait for it and share its outcome: {3, that job's id}. Else
-- records this job as the one merging them: {1}. {0} when the worker no longer holds the job.
local id, worker, fingerprint, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not held_by(KEYS[1], worker) then
  return { 0 }
end
local now = now_ms()
local previous = redis.call('HGET', KEYS[1], 'fingerprint')
if previous and previous ~= fingerprint then
  -- the inputs changed since an earlier attempt: the jobs that waited for that merge choose again
  if redis.call('GET', MERGING_PREFIX .. previous) == id then
    redis.call('DEL', MERGING_PREFIX .. previous)
  end
  requeue_followers(id, KEYS[2], KEYS[3], ttl, now)
end
redis.call('HSET', KEYS[1], 'fingerprint', fingerprint)

local result = redis.call('HMGET', RESULT_PREFIX .. fingerprint, 'result_bucket', 'result_key', 'result_size',
  'result_etag', 'merged_by')
if result[1] then
  finish(KEYS[1], KEYS[2], id, 'DONE', ttl, now, { 'result_bucket', result[1], 'result_key', result[2],
    'result_size', result[3], 'result_etag', result[4], 'merged_by', result[5], 'cached', '1' })
  return { 2, redis.call('HGETALL', KEYS[1]) }
end

local merging_key = MERGING_PREFIX .. fingerprint
local leader = redis.call('GET', merging_key)
if leader and leader ~= id then
  local leader_fields = redis.call('HMGET', JOB_PREFIX .. leader, 'state', 'follows')
  if (leader_fields[1] == 'QUEUED' or leader_fields[1] == 'RUNNING') and not leader_fields[2] then
    -- wait for it: no worker, no lease and no merge attempt of its own; the leader's heartbeats renew its
    -- place in the running set, where the expiry scan finds it should the leader vanish
    requeue_followers(id, KEYS[2], KEYS[3], ttl, now)
    redis.call('HSET', KEYS[1], 'follows', leader, 'updated_at', now)
    redis.call('HDEL', KEYS[1], 'worker', 'lease_until')
    redis.call('HINCRBY', KEYS[1], 'attempts', -1)
    redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), id)
    -- in microseconds: jobs that attach within one millisecond keep their order (the oldest inherits the
    -- merge of a cancelled leader), where a millisecond tie would order them by their random ids
    redis.call('ZADD', FOLLOWERS_PREFIX .. leader, queue_score(0), id)
    redis.call('PEXPIRE', FOLLOWERS_PREFIX .. leader, ttl)
    return { 3, leader }
  end
end
redis.call('SET', merging_key, id, 'PX', ttl)
return { 1 }
