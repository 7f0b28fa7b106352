-- ARGV: id, ttl ms, max queued jobs, marker ttl ms, force (1: always queue), then days (ISO dates, ascending).
-- Queues one statistics job for the days that no queued statistics job will index yet (all of them when
-- forced), from the first such day to the last, and marks each of them as queued by it. Returns the job's
-- hash (flat field/value list); 0 when every day is queued already (nothing written); -1 when the queue is
-- full (nothing written).
local days = {}
for i = 6, #ARGV do
  if ARGV[5] == '1' or redis.call('EXISTS', STATS_QUEUED_PREFIX .. ARGV[i]) == 0 then
    days[#days + 1] = ARGV[i]
  end
end
if #days == 0 then
  return 0
end
if redis.call('ZCARD', QUEUED) >= tonumber(ARGV[3]) then
  return -1
end
create_job(ARGV[1], 'stats', days[1], days[#days], ARGV[2])
for _, day in ipairs(days) do
  redis.call('SET', STATS_QUEUED_PREFIX .. day, ARGV[1], 'PX', ARGV[4])
end
return redis.call('HGETALL', JOB_PREFIX .. ARGV[1])
