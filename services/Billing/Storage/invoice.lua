-- Issues one invoice, once: the invoice with its number (number.lua gave it), the tenant's index, its line
-- in the shard's billing event log and its place among the invoices still to publish, in one atomic step.
-- An invoice already issued is left as it is (immutable once written) and its number returned, so issuing
-- again after a crash neither renumbers it nor logs it twice. Every key is in the tenant's shard.
--
-- KEYS[1] invoice        hash   p: Invoice (protobuf), number
-- KEYS[2] invoices       zset   the tenant's issued invoice ids by period start
-- KEYS[3] log            stream the billing event log: inv, tenant, provider, hub
-- KEYS[4] unpublished    zset   issued invoice ids not yet confirmed on the bus
--
-- ARGV[1] invoice id, [2] Invoice (protobuf, without its number), [3] period start (ms), [4] tenant,
--     [5] now (ms), [6] its number. Returns { 1 if issued now else 0, number }.

local number = redis.call('HGET', KEYS[1], 'number')
if number then
  return { 0, tonumber(number) }
end
redis.call('HSET', KEYS[1], 'p', ARGV[2], 'number', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[3], '*', 'inv', ARGV[1], 'tenant', ARGV[4], 'provider', '', 'hub', '')
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
return { 1, tonumber(ARGV[6]) }
