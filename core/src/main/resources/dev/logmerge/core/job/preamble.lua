-- Prepended to every job script, after the key names of RedisKeys.java (JOB_PREFIX, QUEUED, RESULT_PREFIX,
-- MERGING_PREFIX, FOLLOWERS_PREFIX and the STATS_ ones), which LuaScript declares. Field names match JobFields.java.
-- Redis >= 5 replicates script effects, so reading the server clock before writing is allowed.
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- The score that makes a job claimable after delay_ms, in microseconds of the Redis clock, so that jobs
-- queued within one millisecond are still claimed in the order they were queued (a millisecond tie would
-- fall back to comparing the random ids). Formatted here because Lua writes numbers as arguments with 14
-- significant digits, and a microsecond timestamp has 16.
local function queue_score(delay_ms)
  local t = redis.call('TIME')
  return string.format('%d', tonumber(t[1]) * 1000000 + tonumber(t[2]) + delay_ms * 1000)
end

-- Records a new QUEUED job and queues it; the caller checked that the queue has room.
local function create_job(id, kind, start_date, end_date, ttl_ms)
  local key = JOB_PREFIX .. id
  local now = now_ms()
  redis.call('HSET', key, 'id', id, 'kind', kind, 'start_date', start_date, 'end_date', end_date,
    'state', 'QUEUED', 'created_at', now, 'updated_at', now, 'attempts', 0)
  redis.call('PEXPIRE', key, ttl_ms)
  redis.call('ZADD', QUEUED, queue_score(0), id)
  redis.call('PEXPIRE', QUEUED, ttl_ms)
end

-- Whether the job hash says RUNNING on this worker (not waiting for another job's merge).
local function held_by(job_key, worker)
  local fields = redis.call('HMGET', job_key, 'state', 'worker', 'follows')
  return fields[1] == 'RUNNING' and fields[2] == worker and not fields[3]
end

-- The job this worker holds for the merge it started as `id`: that job, or, when `id` was cancelled while
-- other jobs waited for its result, the job the merge was handed to. Returns the id held, or nil and the
-- state of the last job looked at (CANCELLED when the merge was cancelled outright).
local function held_as(id, worker)
  for _ = 1, 64 do
    local fields = redis.call('HMGET', JOB_PREFIX .. id, 'state', 'worker', 'handed_to', 'follows')
    if fields[1] == 'RUNNING' and fields[2] == worker and not fields[4] then
      return id, fields[1]
    end
    if fields[1] ~= 'CANCELLED' or not fields[3] then
      return nil, fields[1]
    end
    id = fields[3]
  end
  return nil, 'CANCELLED'
end

-- Sends every job that waits for `id`'s merge back to the queue, to be claimed and to choose again.
local function requeue_followers(id, running_key, queued_key, ttl_ms, now)
  local followers_key = FOLLOWERS_PREFIX .. id
  for _, follower in ipairs(redis.call('ZRANGE', followers_key, 0, -1)) do
    local key = JOB_PREFIX .. follower
    if redis.call('HGET', key, 'follows') == id then
      redis.call('HSET', key, 'state', 'QUEUED', 'updated_at', now)
      redis.call('HDEL', key, 'follows')
      redis.call('ZREM', running_key, follower)
      redis.call('ZADD', queued_key, queue_score(0), follower)
      redis.call('PEXPIRE', queued_key, ttl_ms)
    end
  end
  redis.call('DEL', followers_key)
end

-- A job that merged its inputs for others too: a DONE merge is remembered under the inputs' fingerprint
-- (unless the job itself was served from there), and the jobs waiting for it end as it did. Returns how
-- many waiting jobs it ended (the caller counts them: their end is recorded nowhere else).
local function settle_merge(job_key, running_key, id, state, ttl_ms, now, extra)
  local fields = redis.call('HMGET', job_key, 'fingerprint', 'cached')
  local fingerprint = fields[1]
  if not fingerprint then
    return 0
  end
  local merging_key = MERGING_PREFIX .. fingerprint
  if redis.call('GET', merging_key) == id then
    redis.call('DEL', merging_key)
  end
  if state == 'DONE' and fields[2] ~= '1' then
    local result = redis.call('HMGET', job_key, 'result_bucket', 'result_key', 'result_size', 'result_etag')
    local result_key = RESULT_PREFIX .. fingerprint
    redis.call('HSET', result_key, 'result_bucket', result[1], 'result_key', result[2], 'result_size', result[3],
      'result_etag', result[4], 'merged_by', id)
    redis.call('PEXPIRE', result_key, ttl_ms)
  end
  local ended = 0
  local followers_key = FOLLOWERS_PREFIX .. id
  for _, follower in ipairs(redis.call('ZRANGE', followers_key, 0, -1)) do
    local key = JOB_PREFIX .. follower
    local follower_fields = redis.call('HMGET', key, 'state', 'follows')
    if follower_fields[1] == 'RUNNING' and follower_fields[2] == id then
      ended = ended + 1
      redis.call('HSET', key, 'state', state, 'finished_at', now, 'updated_at', now, unpack(extra))
      redis.call('HDEL', key, 'follows')
      if state == 'DONE' then
        redis.call('HSET', key, 'cached', '1', 'merged_by', id)
        redis.call('HDEL', key, 'error_code', 'error_message')
      end
      redis.call('ZREM', running_key, follower)
      redis.call('PEXPIRE', key, ttl_ms)
    end
  end
  redis.call('DEL', followers_key)
  return ended
end

-- Ends a job in a final state, keeping it readable for the result TTL, and the jobs waiting for its merge;
-- returns how many of those it ended.
local function finish(job_key, running_key, id, state, ttl_ms, now, extra)
  redis.call('HSET', job_key, 'state', state, 'finished_at', now, 'updated_at', now, unpack(extra))
  redis.call('HDEL', job_key, 'lease_until')
  if state == 'DONE' then
    -- a retried job that succeeded carries no error
    redis.call('HDEL', job_key, 'error_code', 'error_message')
  end
  redis.call('ZREM', running_key, id)
  redis.call('PEXPIRE', job_key, ttl_ms)
  return settle_merge(job_key, running_key, id, state, ttl_ms, now, extra)
end
