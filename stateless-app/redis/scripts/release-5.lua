--[[
  release: gives a held seat back, only if the seat key is still this hold (an expired hold never touches the
  next user's claim).
  KEYS[1] meta  KEYS[2] seat  KEYS[3] free  KEYS[4] held  KEYS[5] exp
  ARGV[1] sectionId  ARGV[2] seat number  ARGV[3] seatId  ARGV[4] hold token
  Returns 1 released | 0 nothing to release (expired, released before, or replaced) | -1 event not loaded
          | -5 the hold was confirmed
]]
local m = redis.call('HMGET', KEYS[1], 'ready', 'i:' .. ARGV[1])
if not m[1] then return -1 end
local v = redis.call('GET', KEYS[2])
if not v or not m[2] then return 0 end
local kind, token = string.match(v, '^(%a)|([^|]+)|')
if token ~= ARGV[4] then return 0 end
if kind == 'S' then return -5 end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[4], ARGV[3])
redis.call('ZREM', KEYS[5], ARGV[3])
redis.call('ZADD', KEYS[3], tonumber(m[2]) * 262144 + tonumber(ARGV[2]), ARGV[3])
return 1
