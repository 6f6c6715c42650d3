-- Closes every billing period before a cut, in one atomic step: closed-through advances to the cut, so
-- no posting lands before it any more (ledger.lua checks it), and every open bucket before the cut is
-- retired to `closing`, where its invoices wait to be issued. A cut at or before closed-through closes
-- nothing. Every key is in one shard of the ledger; each shard is closed on its own, at the same cuts.
--
-- KEYS[1] closed-through string every bucket before it is closed (ms)
-- KEYS[2] buckets        zset   open buckets by start
-- KEYS[3] closing        hash   closed bucket start -> the cut that closed it
-- KEYS[4] cuts           zset   every closed-through ever set
--
-- ARGV[1] the cut (ms). Returns the starts of the buckets it retired.

local cut = tonumber(ARGV[1])
if cut <= tonumber(redis.call('GET', KEYS[1]) or '0') then
  return {}
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[1])
local retired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
for _, bucket in ipairs(retired) do
  redis.call('HSET', KEYS[3], bucket, ARGV[1])
  redis.call('ZREM', KEYS[2], bucket)
end
return retired
