-- Issues one invoice, once: the next number of the one sequence, the invoice itself, the tenant's index,
-- its line in the billing event log and its place among the invoices still to publish, in one atomic
-- step. An invoice already issued is left as it is (immutable once written) and its number returned, so
-- issuing again after a crash neither renumbers it, nor skips a number, nor logs it twice. Every key
-- shares the {billing} hash tag.
--
-- KEYS[1] invoice        hash   p: Invoice (protobuf), number
-- KEYS[2] invoice-seq    string the last number given out
-- KEYS[3] invoices       zset   the tenant's issued invoice ids by period start
-- KEYS[4] log            stream the billing event log: inv, tenant, provider, hub
-- KEYS[5] unpublished    zset   issued invoice ids not yet confirmed on the bus
--
-- ARGV[1] invoice id, [2] Invoice (protobuf, without its number), [3] period start (ms), [4] tenant,
--     [5] now (ms). Returns { 1 if issued now else 0, number }.

local number = redis.call('HGET', KEYS[1], 'number')
if number then
  return { 0, tonumber(number) }
end
number = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], 'p', ARGV[2], 'number', number)
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
redis.call('XADD', KEYS[4], '*', 'inv', ARGV[1], 'tenant', ARGV[4], 'provider', '', 'hub', '')
redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
return { 1, number }
