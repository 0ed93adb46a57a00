--[[
  confirm: turns a live hold into a sale, atomically. Checks that the seat key still holds this hold's token
  (not expired, released or replaced), rewrites it as sold without TTL, and records the booking as pending until
  a writer has committed it to PostgreSQL. The caller enqueues (queue mode) or inserts (sync mode) afterwards.
  KEYS[1] meta  KEYS[2] seat  KEYS[3] held  KEYS[4] exp  KEYS[5] sold (zset by layout index)
  KEYS[6] pending  zset: "<eventId>|<seatId>|<bookingId>|<userId>" by confirm time (ms), global
  ARGV[1] sectionId  ARGV[2] seat number  ARGV[3] seatId  ARGV[4] hold token
  ARGV[5] pending member prefix "<eventId>|<seatId>|<bookingId>|"
  Returns {1, userId} sold now | {2, userId, stillPending (0|1)} this hold was already confirmed
          {-1} event not loaded | {-4} hold gone (expired, released, or the seat went to another hold)
]]
local m = redis.call('HMGET', KEYS[1], 'ready', 'i:' .. ARGV[1])
if not m[1] then return {-1} end
local v = redis.call('GET', KEYS[2])
if not v then return {-4} end
local kind, token, user = string.match(v, '^(%a)|([^|]+)|([^|]+)')
if token ~= ARGV[4] then return {-4} end
if kind == 'S' then
  local pending = redis.call('ZSCORE', KEYS[6], ARGV[5] .. user) and 1 or 0
  return {2, user, pending}
end
redis.call('SET', KEYS[2], 'S|' .. token .. '|' .. user)
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('ZREM', KEYS[4], ARGV[3])
redis.call('ZADD', KEYS[5], tonumber(m[2]) * 262144 + tonumber(ARGV[2]), ARGV[3])
local t = redis.call('TIME')
redis.call('ZADD', KEYS[6], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[5] .. user)
return {1, user}
