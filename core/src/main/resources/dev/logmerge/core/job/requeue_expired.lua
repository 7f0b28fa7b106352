-- KEYS: running set, queued set. ARGV: job key prefix, max attempts, ttl ms, lease ms.
-- Returns to the queue every RUNNING job whose lease has expired (its worker died, hung or was cut off),
-- or fails it with 'worker-lost' once it has used its attempts. A job waiting for another job's merge has
-- no lease of its own (the merging job's heartbeats renew its place in the running set): it waits on while
-- that job is queued or running and still has it among its followers, and is queued again otherwise (the
-- merging job's record expired or was lost), without spending an attempt. Returns {ids queued again, ids failed,
-- number of jobs waiting for a failed one's merge that failed with it}.
local now = now_ms()
local requeued = {}
local failed = {}
local followers_failed = 0
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(expired) do
  redis.call('ZREM', KEYS[1], id)
  local job_key = ARGV[1] .. id
  local fields = redis.call('HMGET', job_key, 'state', 'lease_until', 'attempts', 'worker', 'follows')
  if fields[1] == 'RUNNING' and fields[5] then
    local leader_state = redis.call('HGET', JOB_PREFIX .. fields[5], 'state')
    if (leader_state == 'QUEUED' or leader_state == 'RUNNING')
        and redis.call('ZSCORE', FOLLOWERS_PREFIX .. fields[5], id) then
      redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), id)
    else
      redis.call('HSET', job_key, 'state', 'QUEUED', 'updated_at', now)
      redis.call('HDEL', job_key, 'follows')
      redis.call('ZADD', KEYS[2], queue_score(0), id)
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      requeued[#requeued + 1] = id
    end
  elseif fields[1] == 'RUNNING' and tonumber(fields[2]) <= now then
    local attempts = tonumber(fields[3])
    if attempts >= tonumber(ARGV[2]) then
      local ended = finish(job_key, KEYS[1], id, 'FAILED', ARGV[3], now, { 'error_code', 'worker-lost',
        'error_message', 'the job was claimed ' .. attempts .. ' times and each worker stopped renewing its lease'
        .. ' (last: ' .. tostring(fields[4]) .. ')' })
      followers_failed = followers_failed + ended
      failed[#failed + 1] = id
    else
      redis.call('HSET', job_key, 'state', 'QUEUED', 'updated_at', now, 'error_code', 'worker-lost',
        'error_message', 'lease of worker ' .. tostring(fields[4]) .. ' expired')
      redis.call('HDEL', job_key, 'worker', 'lease_until')
      redis.call('ZADD', KEYS[2], queue_score(0), id)
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
      requeued[#requeued + 1] = id
    end
  end
end
return {requeued, failed, followers_failed}
