-- ARGV: day, generation, then customer/row pairs. Stores each customer's row of the day unless a newer
-- generation's row is there already (a slower, older indexing of the same day never overwrites a newer
-- one). Returns the number of rows stored.
local day, generation = ARGV[1], tonumber(ARGV[2])
local stored = 0
for i = 3, #ARGV, 2 do
  local key = STATS_CUSTOMER_PREFIX .. ARGV[i]
  local old = redis.call('HGET', key, day)
  if not old or tonumber(string.match(old, '^(%d+)|')) <= generation then
    redis.call('HSET', key, day, ARGV[2] .. '|' .. ARGV[i + 1])
    stored = stored + 1
  end
end
return stored
