-- ARGV: day, generation, then customer / stored row pairs (each row as the customer's hash holds it:
-- '<generation>|<row>'). Stores the rows unless a newer indexing of the day has begun: every row of a
-- generation is written after it began, so a slower, older indexing never overwrites a newer one's rows.
-- Returns the number of rows stored: all of them, or 0 when a newer indexing has begun.
local day, generation = ARGV[1], tonumber(ARGV[2])
local begun = redis.call('HGET', STATS_DAY_BEGUN, day)
if begun and tonumber(begun) > generation then
  return 0
end
for i = 3, #ARGV, 2 do
  redis.call('HSET', STATS_CUSTOMER_PREFIX .. ARGV[i], day, ARGV[i + 1])
end
return (#ARGV - 2) / 2
