-- ARGV: job id, worker id, day. The worker holding the statistics job starts indexing the day: the day is
-- no longer waiting for this job (a change from now on queues another), and the indexing gets a new
-- generation, higher than any before, which from now on refuses rows of older indexings of the day.
-- Returns the generation, or 0 when the worker no longer holds the job.
if not held_by(JOB_PREFIX .. ARGV[1], ARGV[2]) then
  return 0
end
local marker = STATS_QUEUED_PREFIX .. ARGV[3]
if redis.call('GET', marker) == ARGV[1] then
  redis.call('DEL', marker)
end
local generation = redis.call('INCR', STATS_GENERATION)
redis.call('HSET', STATS_DAY_BEGUN, ARGV[3], generation)
return generation
