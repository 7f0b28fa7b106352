-- KEYS: job hash, running set. ARGV: id, worker id, ttl ms, final state (DONE or FAILED), then
-- field/value pairs to record (result or error). Returns 1, or 0 when this worker no longer holds the job.
if not held_by(KEYS[1], ARGV[2]) then
  return 0
end
finish(KEYS[1], KEYS[2], ARGV[1], ARGV[4], ARGV[3], now_ms(), { unpack(ARGV, 5) })
return 1
