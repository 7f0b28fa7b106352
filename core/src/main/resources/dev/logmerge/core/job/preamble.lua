-- Prepended to every job script. Field names match JobFields.java.
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

-- Whether the job hash says RUNNING on this worker.
local function held_by(job_key, worker)
  local fields = redis.call('HMGET', job_key, 'state', 'worker')
  return fields[1] == 'RUNNING' and fields[2] == worker
end

-- Ends a job in a final state, keeping it readable for the result TTL.
local function finish(job_key, running_key, id, state, ttl_ms, now, extra)
  redis.call('HSET', job_key, 'state', state, 'finished_at', now, 'updated_at', now, unpack(extra))
  redis.call('HDEL', job_key, 'lease_until')
  if state == 'DONE' then
    -- a retried job that succeeded carries no error
    redis.call('HDEL', job_key, 'error_code', 'error_message')
  end
  redis.call('ZREM', running_key, id)
  redis.call('PEXPIRE', job_key, ttl_ms)
end
