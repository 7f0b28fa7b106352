-- ARGV: day, generation, the day's record (JSON), 1 when the day has input files (else 0).
-- Makes the generation the day's current one, unless a newer one is: rows of older generations stop
-- counting. Returns 1 when recorded, 0 when a newer generation was there.
local day, generation = ARGV[1], tonumber(ARGV[2])
local current = redis.call('HGET', STATS_DAY_GENERATIONS, day)
if current and tonumber(current) >= generation then
  return 0
end
redis.call('HSET', STATS_DAY_GENERATIONS, day, ARGV[2])
redis.call('HSET', STATS_DAYS, day, ARGV[3])
if ARGV[4] == '1' then
  local newest = redis.call('GET', STATS_NEWEST_DAY)
  if not newest or day > newest then
    redis.call('SET', STATS_NEWEST_DAY, day)
  end
end
return 1
