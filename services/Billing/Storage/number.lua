-- Gives an invoice its number from the one sequence, once: asked again for the same invoice (a retry after
-- a crash, another replica issuing it), the number it was given. An invoice is numbered only when it is
-- about to be issued, and issuing it again asks for the same number, so the sequence has no gaps.
--
-- KEYS[1] invoice-seq     string the last number given out
-- KEYS[2] invoice-numbers hash   invoice id -> number
-- ARGV[1] invoice id. Returns its number.

local number = redis.call('HGET', KEYS[2], ARGV[1])
if number then return tonumber(number) end
number = redis.call('INCR', KEYS[1])
redis.call('HSET', KEYS[2], ARGV[1], number)
return number
