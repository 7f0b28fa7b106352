-- KEYS: remembered result of a fingerprint. ARGV: result key.
-- Forgets the remembered result when it still names that object (found missing from the results bucket),
-- so the next job with these inputs merges them again. Returns 1 when forgotten.
if redis.call('HGET', KEYS[1], 'result_key') == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
