-- Grants a shard of the ledger more of a voucher program's budget: enough that what the shard was granted
-- reaches `target` (what it has spent plus what a batch of postings would pay), as far as the budget not
-- yet granted to any shard allows. A target at or below the shard's grant changes nothing, so asking
-- again (a retried batch, another replica asking for the same postings) never grants twice.
--
-- KEYS[1] program hash   budget, granted (to all shards), g:{shard}
-- ARGV[1] the shard's field (g:{shard}), ARGV[2] target (fen)
--
-- Returns { the shard's grant, 1 if the budget could not reach the target (nothing left to grant) else 0 }.

local budget = tonumber(redis.call('HGET', KEYS[1], 'budget') or '0')
local granted = tonumber(redis.call('HGET', KEYS[1], 'granted') or '0')
local mine = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local target = tonumber(ARGV[2])
if target > mine then
  local extra = math.min(target - mine, budget - granted)
  if extra > 0 then
    mine = mine + extra
    redis.call('HSET', KEYS[1], ARGV[1], mine, 'granted', granted + extra)
  end
end
if mine < target then return { mine, 1 } end
return { mine, 0 }
