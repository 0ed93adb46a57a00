--[[
  hold: claims one seat for one user atomically; one winner per seat. The claim is the seat key itself, created
  with SET NX and expiring by Redis TTL (PXAT), so no sweeper ever decides who owns a seat.
  KEYS[1] meta  hash: ready, ttl, i:<section> (section index), s:<section> (seat count)
  KEYS[2] seat  string: "H|<token>|<userId>|<expiresAt>" (PXAT expiresAt) or "S|<token>|<userId>" (sold)
  KEYS[3] free  zset: available seats by layout index (an index; expired holds rejoin it when reaped)
  KEYS[4] held  zset: held seats by layout index
  KEYS[5] exp   zset: held seats by expiresAt (ms); ZCOUNT (now, +inf) is the exact live hold count
  KEYS[6] req   string: "<token>|<expiresAt>", the answer to this (seat, user, requestId)
  ARGV[1] sectionId  ARGV[2] seat number  ARGV[3] seatId  ARGV[4] userId  ARGV[5] token for a new hold
  Returns {1, token, expiresAt} new hold | {2, token, expiresAt} repeated request, same answer
          {-1} event not loaded | {-2} no such seat | {-3} seat held or sold (not recorded: retrying is harmless)
]]
local answer = redis.call('GET', KEYS[6])
if answer then
  local sep = string.find(answer, '|', 1, true)
  return {2, string.sub(answer, 1, sep - 1), tonumber(string.sub(answer, sep + 1))}
end
local m = redis.call('HMGET', KEYS[1], 'ready', 'ttl', 'i:' .. ARGV[1], 's:' .. ARGV[1])
if not m[1] then return {-1} end
local n = tonumber(ARGV[2])
if not m[3] or n > tonumber(m[4]) then return {-2} end
local t = redis.call('TIME')
local ttl = tonumber(m[2])
local expiresAt = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl
local value = 'H|' .. ARGV[5] .. '|' .. ARGV[4] .. '|' .. expiresAt
if not redis.call('SET', KEYS[2], value, 'NX', 'PXAT', expiresAt) then return {-3} end
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('ZADD', KEYS[4], tonumber(m[3]) * 262144 + n, ARGV[3])
redis.call('ZADD', KEYS[5], expiresAt, ARGV[3])
-- Kept past the hold's life so a late retry still gets the same answer instead of a second hold.
redis.call('SET', KEYS[6], ARGV[5] .. '|' .. expiresAt, 'PX', ttl + 3600000)
return {1, ARGV[5], expiresAt}
