-- KEYS: job hash, running set. ARGV: id, worker id, ttl ms, final state (DONE or FAILED), then
-- field/value pairs to record (result or error). Ends the job this worker holds for the merge it started as
-- `id` (see held_as), and the jobs waiting for it. Returns {1, id ended, number of waiting jobs ended with it};
-- {2} when the job was cancelled (nothing recorded: a cancelled job never becomes DONE); {0} when the worker
-- no longer holds it.
local id, state = held_as(ARGV[1], ARGV[2])
if not id then
  return { state == 'CANCELLED' and 2 or 0 }
end
local followers = finish(JOB_PREFIX .. id, KEYS[2], id, ARGV[4], ARGV[3], now_ms(), { unpack(ARGV, 5) })
return { 1, id, followers }
