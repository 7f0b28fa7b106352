-- ARGV: day, the day whose files were read, generation, partial aggregates (empty: none).
-- Records the aggregates of the day's lines found in another day's files, unless a newer generation
-- recorded them already. Returns 1 when they changed (the day must be indexed again), 0 when they are the
-- same, -1 when a newer generation holds them.
local key, field, generation = STATS_PARTIALS_PREFIX .. ARGV[1], ARGV[2], tonumber(ARGV[3])
local old = redis.call('HGET', key, field)
local old_partial = ''
if old then
  local old_generation, partial = string.match(old, '^(%d+)|(.*)$')
  if tonumber(old_generation) > generation then
    return -1
  end
  old_partial = partial
end
if ARGV[4] == '' then
  redis.call('HDEL', key, field)
else
  redis.call('HSET', key, field, ARGV[3] .. '|' .. ARGV[4])
end
if old_partial == ARGV[4] then
  return 0
end
return 1
