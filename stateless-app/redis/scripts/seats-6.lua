--[[
  seats: lists seats in layout order (sections as given, numbers ascending), optionally by status and section.
  Status lists read the free/held/sold indexes after reaping expired holds: a hold whose seat key is gone (Redis
  TTL) moves from held back to free. Reaping only fixes indexes after checking the claim key, so it cannot race a
  claim. Without a status, statuses come from the seat keys themselves (at most `limit` GETs).
  KEYS[1] meta  KEYS[2] free  KEYS[3] held  KEYS[4] exp  KEYS[5] sold
  KEYS[6] seat key prefix "sl:{<eventId>}:seat:" (seat keys are derived from it; same hash slot)
  ARGV[1] status: "" | "available" | "held" | "sold"   ARGV[2] sectionId or ""   ARGV[3] limit
  Returns {1, "seatId,status,seatId,status,..."} (one string: decoding one bulk reply costs the replica far less
          than 2 x limit of them; ids never contain ",") | {1} no such section | {-1} event not loaded
]]
local m = redis.call('HMGET', KEYS[1], 'ready', 'order')
if not m[1] then return {-1} end
local status, section, limit = ARGV[1], ARGV[2], tonumber(ARGV[3])
local sections = {}
if section ~= '' then
  local s = redis.call('HMGET', KEYS[1], 'i:' .. section, 's:' .. section)
  if not s[1] then return {1} end
  sections[1] = {section, tonumber(s[1]), tonumber(s[2])}
else
  local i = 0
  for id in string.gmatch(m[2], '[^,]+') do
    sections[#sections + 1] = {id, i, nil}
    i = i + 1
  end
end
local out = {}
local want = 2 * limit

if status == '' then
  for _, s in ipairs(sections) do
    local count = s[3] or tonumber(redis.call('HGET', KEYS[1], 's:' .. s[1]))
    for n = 1, count do
      if #out >= want then return {1, table.concat(out, ',')} end
      local seat = s[1] .. '-' .. n
      local v = redis.call('GET', KEYS[6] .. seat)
      out[#out + 1] = seat
      if not v then out[#out + 1] = 'available'
      elseif string.sub(v, 1, 1) == 'S' then out[#out + 1] = 'sold'
      else out[#out + 1] = 'held' end
    end
  end
  return {1, table.concat(out, ',')}
end

if status ~= 'sold' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  while true do
    local gone = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. now, 'LIMIT', 0, 500)
    local moved = 0
    for _, seat in ipairs(gone) do
      if redis.call('EXISTS', KEYS[6] .. seat) == 0 then
        local idx = redis.call('ZSCORE', KEYS[3], seat)
        redis.call('ZREM', KEYS[4], seat)
        redis.call('ZREM', KEYS[3], seat)
        if idx then redis.call('ZADD', KEYS[2], idx, seat) end
        moved = moved + 1
      end
    end
    if #gone < 500 or moved == 0 then break end
  end
end

local lo, hi = '-inf', '+inf'
if section ~= '' then
  lo = sections[1][2] * 262144
  hi = lo + 262143
end
local index = ({available = KEYS[2], held = KEYS[3], sold = KEYS[5]})[status]
for _, seat in ipairs(redis.call('ZRANGEBYSCORE', index, lo, hi, 'LIMIT', 0, limit)) do
  out[#out + 1] = seat
  out[#out + 1] = status
end
return {1, table.concat(out, ',')}
