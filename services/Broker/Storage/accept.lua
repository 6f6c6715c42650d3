-- The accept of one quote as a recoverable two-phase step. One attempt at a time owns a quote's accept;
-- it records, as it begins, the holds it will take (their ids follow from its hold keys), then takes each
-- confirmed into the lease at the provider, and commits the lease and its LeaseCreated together, only
-- while it still owns the accept. An attempt that is undone (given up, or found stale by a retry or the
-- recovery pass) can never commit afterwards, so whoever undoes it may give back every hold it recorded,
-- taken or not (the provider keeps one not yet taken from being taken later).
--
-- KEYS[1] accept    hash    key, attempt, state (pending|undone|refused|committed), since (ms), holds (comma-separated ids, from begin),
--                           lease, why and fresh (a refusal and its fresh quote, replayed to the same key; another
--                           key may try afresh)
-- KEYS[2] binding   string  the quote an idempotency key was used for
-- KEYS[3] pending   zset    quote ids with an attempt pending or undone (holds not yet back), by since (ms)
-- KEYS[4] lease     hash    l: Lease (protobuf bytes), s: its state
-- KEYS[5] tenant    zset    the tenant's lease ids by creation time (ms)
-- KEYS[6] starting  zset    scheduled lease ids by window start (ms)
-- KEYS[7] outbox    hash    event id -> the event (google.protobuf.Any bytes), not yet relayed
-- KEYS[8] due       zset    outbox event ids by when they were written (ms)
--
-- ARGV[1] op, ARGV[2] now (ms), ARGV[3] quote id, then per op below.

local op, now, quote = ARGV[1], tonumber(ARGV[2]), ARGV[3]

local function field(name) return redis.call('HGET', KEYS[1], name) end

if op == 'begin' then -- key, attempt, stale after (ms), keep for (s), the ids of the holds it will take
  local key, attempt, stale, keep, holds = ARGV[4], ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
  local bound = redis.call('GET', KEYS[2])
  if bound and bound ~= quote then return { 'key-conflict', bound } end
  local state = field('state')
  if state == 'committed' then
    if field('key') == key then return { 'done', field('lease') } end
    return { 'taken', 'accepted' }
  end
  if state == 'refused' and field('key') == key then return { 'refused', field('why'), field('fresh') or '' } end
  if state == 'undone' or (state == 'pending' and now - tonumber(field('since')) >= stale) then
    return { 'stale', field('attempt'), field('holds') or '', field('key') }
  end
  if state == 'pending' then
    if field('key') ~= key then return { 'taken', 'being accepted' } end
    return { 'busy', field('attempt') }
  end
  redis.call('SET', KEYS[2], quote, 'EX', keep)
  redis.call('HSET', KEYS[1], 'key', key, 'attempt', attempt, 'state', 'pending', 'since', now, 'holds', holds)
  redis.call('EXPIRE', KEYS[1], keep)
  redis.call('ZADD', KEYS[3], now, quote)
  return { 'begun' }

elseif op == 'undo' then -- attempt: from now on it cannot commit; returns the holds it recorded
  local state = field('state')
  if (state ~= 'pending' and state ~= 'undone') or field('attempt') ~= ARGV[4] then return { 'lost' } end
  redis.call('HSET', KEYS[1], 'state', 'undone')
  return { 'ok', field('holds') or '' }

elseif op == 'forget' then -- attempt: its holds are back; the quote can be accepted afresh
  if field('state') ~= 'undone' or field('attempt') ~= ARGV[4] then return { 'lost' } end
  redis.call('DEL', KEYS[1])
  if redis.call('GET', KEYS[2]) == quote then redis.call('DEL', KEYS[2]) end
  redis.call('ZREM', KEYS[3], quote)
  return { 'ok' }

elseif op == 'refuse' then -- attempt, why, fresh quote id: its holds are back and the market said no; the key keeps that answer
  if field('state') ~= 'undone' or field('attempt') ~= ARGV[4] then return { 'lost' } end
  redis.call('HSET', KEYS[1], 'state', 'refused', 'why', ARGV[5], 'fresh', ARGV[6])
  redis.call('ZREM', KEYS[3], quote)
  return { 'ok' }

elseif op == 'commit' then -- attempt, lease id, lease bytes, lease state, created (ms), start (ms), event id, event
  if field('state') ~= 'pending' or field('attempt') ~= ARGV[4] then return { 'lost' } end
  local lease, created, start, event = ARGV[5], tonumber(ARGV[8]), tonumber(ARGV[9]), ARGV[10]
  redis.call('HSET', KEYS[4], 'l', ARGV[6], 's', ARGV[7])
  redis.call('ZADD', KEYS[5], created, lease)
  redis.call('ZADD', KEYS[6], start, lease)
  redis.call('HSET', KEYS[7], event, ARGV[11])
  redis.call('ZADD', KEYS[8], now, event)
  redis.call('HSET', KEYS[1], 'state', 'committed', 'lease', lease)
  redis.call('ZREM', KEYS[3], quote)
  return { 'ok' }

elseif op == 'get' then
  return { field('state') or '', field('attempt') or '', field('since') or '0', field('holds') or '', field('key') or '' }
end

return redis.error_reply('unknown accept operation ' .. tostring(op))
