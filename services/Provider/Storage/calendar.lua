-- The capacity calendar of one offer: every key below shares the offer's hash tag, so this script
-- runs atomically on one node, on a single Redis or on Redis Cluster alike.
--
-- KEYS[1] published  hash   slot -> accelerators published in that hour (slot = hours since the Unix epoch)
-- KEYS[2] held       hash   slot -> accelerators held (reserved, not yet confirmed)
-- KEYS[3] leased     hash   slot -> accelerators confirmed into leases
-- KEYS[4] holds      hash   hold id -> "state|units|first|last|expires_ms|lease_id|created_ms|metered_until|idem_key"
-- KEYS[5] expiry     zset   hold id of every HELD hold, scored by expires_ms
-- KEYS[6] idem       hash   idempotency key -> "hold_id|fingerprint"
-- KEYS[7] version    string grows on every change to the offer or its capacity
-- KEYS[8] offer      string the Offer (protobuf bytes)
-- KEYS[9] metering   zset   hold id of every CONFIRMED hold with hours left to meter, scored by the
--                           first slot not yet metered: the meter reads only what is due, never the
--                           whole history of holds
-- KEYS[10] meta      hash   facts about the calendar itself: "metering" (the index above is complete),
--                           "base" and "last" (the slots the free array covers), "down_from" and
--                           "down_to" (the slots an outage takes down: nothing in them is free)
-- KEYS[11] free      string free units per slot from "base", 4 bytes each (little-endian): kept with every
--                           change, so the catalog reads an offer's capacity in one GET, not 3 x its hours
--
-- Invariant kept by every operation, in every slot: held + leased <= published.
-- Expired holds are given back here (every call sweeps first) and by a periodic sweep; never on
-- keyspace notifications, which fire late.

local op = ARGV[1]
local now = tonumber(ARGV[2])

local function n(key, slot)
  return tonumber(redis.call('HGET', key, slot) or '0')
end

-- The slots an outage has taken down, or none.
local down_from = tonumber(redis.call('HGET', KEYS[10], 'down_from') or '')
local down_to = tonumber(redis.call('HGET', KEYS[10], 'down_to') or '')

-- Free units in each slot first..last, three HMGETs at a time rather than three HGETs a slot (in chunks:
-- unpack takes only so many values).
local function free_in(first, last)
  local free = {}
  for from = first, last, 1000 do
    local fields = {}
    for s = from, math.min(last, from + 999) do fields[#fields + 1] = s end
    local published = redis.call('HMGET', KEYS[1], unpack(fields))
    local held = redis.call('HMGET', KEYS[2], unpack(fields))
    local leased = redis.call('HMGET', KEYS[3], unpack(fields))
    for i, s in ipairs(fields) do
      if down_from and s >= down_from and s <= down_to then free[#free + 1] = 0
      else free[#free + 1] = (tonumber(published[i]) or 0) - (tonumber(held[i]) or 0) - (tonumber(leased[i]) or 0) end
    end
  end
  return free
end

local function parse(record)
  local f, i = {}, 1
  while true do
    local j = string.find(record, '|', i, true)
    if not j then f[#f + 1] = string.sub(record, i); break end
    f[#f + 1] = string.sub(record, i, j - 1)
    i = j + 1
  end
  return { state = f[1], units = tonumber(f[2]), first = tonumber(f[3]), last = tonumber(f[4]),
           expires = tonumber(f[5]), lease = f[6], created = tonumber(f[7]), metered = tonumber(f[8]), idem = f[9] }
end

local function format(h)
  return table.concat({ h.state, h.units, h.first, h.last, h.expires, h.lease, h.created, h.metered, h.idem }, '|')
end

local function reply(id, h)
  return { 'ok', id, format(h), redis.call('GET', KEYS[7]) or '0' }
end

-- Keeps a hold of a lease in the meter's index while it has hours left to meter: a confirmed one, or one
-- released early that keeps hours not yet run (a lease cut short ahead of time).
local function index_metering(id, h)
  if (h.state == 'CONFIRMED' or h.state == 'RELEASED') and h.lease ~= '' and h.metered < h.last then
    redis.call('ZADD', KEYS[9], h.metered + 1, id)
  else
    redis.call('ZREM', KEYS[9], id)
  end
end

-- Holds confirmed before the index existed are indexed once, on the first 'due' that finds it missing.
local function backfill_metering()
  if redis.call('HEXISTS', KEYS[10], 'metering') == 1 then return end
  local holds = redis.call('HGETALL', KEYS[4])
  for i = 1, #holds, 2 do
    local h = parse(holds[i + 1])
    if h.state == 'CONFIRMED' then index_metering(holds[i], h) end
  end
  redis.call('HSET', KEYS[10], 'metering', '1')
end

-- Rewrites the free array for slots from..to, once it exists ('free' builds it on first read).
-- Writes free[i] as the free units of slot from + i - 1, for the slots the array covers.
local function write_free(from, free)
  local base = tonumber(redis.call('HGET', KEYS[10], 'base') or '')
  if not base then return end
  local last = tonumber(redis.call('HGET', KEYS[10], 'last'))
  local packed = {}
  for i, units in ipairs(free) do
    local s = from + i - 1
    if s >= base and s <= last then packed[#packed + 1] = struct.pack('<i4', units) end
  end
  if #packed > 0 then redis.call('SETRANGE', KEYS[11], (math.max(from, base) - base) * 4, table.concat(packed)) end
end

local function refresh(from, to)
  local base = tonumber(redis.call('HGET', KEYS[10], 'base') or '')
  if not base then return end
  from = math.max(from, base)
  to = math.min(to, tonumber(redis.call('HGET', KEYS[10], 'last')))
  write_free(from, free_in(from, to))
end

local function give_back(key, h, from, to)
  for s = from, to do redis.call('HINCRBY', key, s, -h.units) end
end

local function sweep()
  local ids = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now)
  for _, id in ipairs(ids) do
    local record = redis.call('HGET', KEYS[4], id)
    if record then
      local h = parse(record)
      if h.state == 'HELD' then
        give_back(KEYS[2], h, h.first, h.last)
        refresh(h.first, h.last)
        h.state = 'EXPIRED'
        redis.call('HSET', KEYS[4], id, format(h))
      end
    end
    redis.call('ZREM', KEYS[5], id)
  end
  if #ids > 0 then redis.call('INCR', KEYS[7]) end
  return #ids
end

-- Sets every slot's published count to max(count, held + leased): shrinking takes only free capacity.
-- Returns the most units taken from any one slot.
local function resize(count)
  local removed = 0
  local published = redis.call('HGETALL', KEYS[1])
  for i = 1, #published, 2 do
    local slot, before = published[i], tonumber(published[i + 1])
    local after = math.max(count, n(KEYS[2], slot) + n(KEYS[3], slot))
    if after ~= before then redis.call('HSET', KEYS[1], slot, after) end
    removed = math.max(removed, before - after)
  end
  refresh(-math.huge, math.huge)
  return removed
end

-- One HMGET for the slots ARGV[3]..ARGV[4] of a hash: far cheaper than an HGET per slot.
local function range(key)
  local fields = {}
  for s = tonumber(ARGV[3]), tonumber(ARGV[4]) do fields[#fields + 1] = s end
  if #fields == 0 then return {} end
  return redis.call('HMGET', key, unpack(fields))
end

local expired = sweep()

if op == 'init' then -- first, last, count, offer bytes
  if redis.call('SET', KEYS[8], ARGV[6], 'NX') == false then return { 'exists' } end
  local first, last, count = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  local free = {}
  for s = first, last do redis.call('HSET', KEYS[1], s, count); free[#free + 1] = count end
  redis.call('HSET', KEYS[10], 'base', first, 'last', last)
  write_free(first, free)
  return { 'ok', redis.call('INCR', KEYS[7]) }

elseif op == 'hold' then -- id, units, first, last, expires_ms, idem key, fingerprint, lease id ('': held until confirmed)
  local id, units, first, last, expires = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
  local idem, fingerprint, lease = ARGV[8], ARGV[9], ARGV[10] or ''
  if idem ~= '' then
    local seen = redis.call('HGET', KEYS[6], idem)
    if seen then
      local bar = string.find(seen, '|', 1, true)
      local seen_id = string.sub(seen, 1, bar - 1)
      if string.sub(seen, bar + 1) ~= fingerprint then return { 'idem-conflict', seen_id } end
      return reply(seen_id, parse(redis.call('HGET', KEYS[4], seen_id)))
    end
  end
  -- An id named after its key with a record but no key: discarded before this request came ('release').
  if redis.call('HEXISTS', KEYS[4], id) == 1 then return { 'gone' } end
  local left = free_in(first, last) -- what each slot keeps free once held: the array is written from it, not read again
  for i, free in ipairs(left) do
    if free < units then return { 'exhausted', tostring(first + i - 1), tostring(free), tostring(expired) } end
    left[i] = free - units
  end
  -- Confirmed at once into a lease, it counts as leased and never expires; otherwise held until its TTL.
  local into = lease == '' and KEYS[2] or KEYS[3]
  for s = first, last do redis.call('HINCRBY', into, s, units) end
  write_free(first, left)
  local h = { state = lease == '' and 'HELD' or 'CONFIRMED', units = units, first = first, last = last, expires = expires,
              lease = lease, created = now, metered = first - 1, idem = idem }
  redis.call('HSET', KEYS[4], id, format(h))
  if lease == '' then redis.call('ZADD', KEYS[5], expires, id) else index_metering(id, h) end
  if idem ~= '' then redis.call('HSET', KEYS[6], idem, id .. '|' .. fingerprint) end
  redis.call('INCR', KEYS[7])
  return reply(id, h)

elseif op == 'confirm' then -- id, lease id
  local id, lease = ARGV[3], ARGV[4]
  local record = redis.call('HGET', KEYS[4], id)
  if not record then return { 'not-found' } end
  local h = parse(record)
  if h.state == 'CONFIRMED' and h.lease == lease then return reply(id, h) end
  if h.state ~= 'HELD' then return { 'state', h.state } end
  give_back(KEYS[2], h, h.first, h.last)
  for s = h.first, h.last do redis.call('HINCRBY', KEYS[3], s, h.units) end
  h.state, h.lease = 'CONFIRMED', lease
  redis.call('HSET', KEYS[4], id, format(h))
  redis.call('ZREM', KEYS[5], id)
  index_metering(id, h)
  redis.call('INCR', KEYS[7])
  return reply(id, h)

elseif op == 'release' then -- id, current slot, discard ('1': the hold never became a lease), keep-before slot
  local id, current, discard = ARGV[3], tonumber(ARGV[4]), ARGV[5] == '1'
  local keep_before = tonumber(ARGV[6] or '') -- a confirmed hold keeps its hours before this slot (0: none given)
  local record = redis.call('HGET', KEYS[4], id)
  if not record then
    -- Discarding a hold not taken (yet): a record of nothing, given back, so a request for it still on
    -- its way cannot take it after all ('gone' in 'hold'). Only for an offer that exists.
    if not discard or redis.call('EXISTS', KEYS[8]) == 0 then return { 'not-found' } end
    local h = { state = 'RELEASED', units = 0, first = current, last = current - 1, expires = 0, lease = '',
                created = now, metered = current - 1, idem = '' }
    redis.call('HSET', KEYS[4], id, format(h))
    return reply(id, h)
  end
  local h = parse(record)
  if h.state == 'HELD' then
    give_back(KEYS[2], h, h.first, h.last)
    refresh(h.first, h.last)
    redis.call('ZREM', KEYS[5], id)
  elseif h.state == 'CONFIRMED' then
    -- A lease ends early: hours already begun stay leased (and billed); the rest goes back.
    -- Discarded (no lease was ever made of it): every hour the meter has not yet counted goes back.
    local from = discard and math.max(h.first, h.metered + 1) or math.max(h.first, current + 1, keep_before or 0)
    if from > h.last + 1 then from = h.last + 1 end
    give_back(KEYS[3], h, from, h.last)
    refresh(from, h.last)
    h.last = from - 1
    -- Hours already begun are still metered; then the hold leaves the index.
    if h.metered < h.last then redis.call('ZADD', KEYS[9], h.metered + 1, id) else redis.call('ZREM', KEYS[9], id) end
  else
    return reply(id, h) -- released or expired already: nothing more to give back
  end
  h.state = 'RELEASED'
  redis.call('HSET', KEYS[4], id, format(h))
  redis.call('INCR', KEYS[7])
  return reply(id, h)

elseif op == 'get' then -- id
  local record = redis.call('HGET', KEYS[4], ARGV[3])
  if not record then return { 'not-found' } end
  return reply(ARGV[3], parse(record))

elseif op == 'resize' then -- count, offer bytes
  local removed = resize(tonumber(ARGV[3]))
  redis.call('SET', KEYS[8], ARGV[4])
  return { 'ok', redis.call('INCR', KEYS[7]), removed }

elseif op == 'free' then -- first, last (the offer's window): the free array, its first slot, and the version
  if not redis.call('HGET', KEYS[10], 'base') then -- an offer from before the array: build it once
    redis.call('HSET', KEYS[10], 'base', ARGV[3], 'last', ARGV[4])
    refresh(tonumber(ARGV[3]), tonumber(ARGV[4]))
  end
  return { 'ok', redis.call('GET', KEYS[7]) or '0', expired, redis.call('HGET', KEYS[10], 'base'),
           redis.call('GET', KEYS[11]) or '' }

elseif op == 'slots' then -- first, last: published, held, leased per slot
  local published, held, leased = range(KEYS[1]), range(KEYS[2]), range(KEYS[3])
  local out = { 'ok', redis.call('GET', KEYS[7]) or '0' }
  for i = 1, #published do
    out[#out + 1] = tonumber(published[i]) or 0
    out[#out + 1] = tonumber(held[i]) or 0
    out[#out + 1] = tonumber(leased[i]) or 0
  end
  return out

elseif op == 'due' then -- current slot: confirmed hours that have ended and are not yet metered
  backfill_metering()
  local out = { 'ok' }
  local current = tonumber(ARGV[3])
  local ids = redis.call('ZRANGEBYSCORE', KEYS[9], '-inf', current - 1)
  for _, id in ipairs(ids) do
    local record = redis.call('HGET', KEYS[4], id)
    if record then
      local h = parse(record)
      local to = math.min(h.last, current - 1)
      if h.lease ~= '' and to > h.metered then
        out[#out + 1] = id; out[#out + 1] = format(h); out[#out + 1] = to
      end
    else
      redis.call('ZREM', KEYS[9], id)
    end
  end
  return out

elseif op == 'metered' then -- id, up to slot: the meter published up to here
  local record = redis.call('HGET', KEYS[4], ARGV[3])
  if not record then return { 'not-found' } end
  local h = parse(record)
  h.metered = math.max(h.metered, tonumber(ARGV[4]))
  redis.call('HSET', KEYS[4], ARGV[3], format(h))
  index_metering(ARGV[3], h)
  return { 'ok' }

elseif op == 'down' then -- from, to: the slots an outage takes down (from > to: none), in place of any before
  local from, to = tonumber(ARGV[3]), tonumber(ARGV[4])
  local before_from, before_to = down_from, down_to
  if from > to then
    redis.call('HDEL', KEYS[10], 'down_from', 'down_to')
    down_from, down_to = nil, nil
  else
    redis.call('HSET', KEYS[10], 'down_from', from, 'down_to', to)
    down_from, down_to = from, to
  end
  -- The free array is rewritten where the range was or is now, within the slots it covers.
  if before_from then refresh(before_from, before_to) end
  if down_from then refresh(down_from, down_to) end
  return { 'ok', redis.call('INCR', KEYS[7]) }

elseif op == 'sweep' then
  return { 'ok', expired }
end

return redis.error_reply('unknown calendar operation ' .. tostring(op))
