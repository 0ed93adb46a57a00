--[[
  summary: the event's counts. Live holds are counted by expiry time, so an expired hold stops counting at its
  expiresAt even before any reaping.
  KEYS[1] meta  KEYS[2] exp  KEYS[3] sold
  Returns {1, capacity, held, sold} | {-1} event not loaded
]]
local m = redis.call('HMGET', KEYS[1], 'ready', 'cap')
if not m[1] then return {-1} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return {1, tonumber(m[2]), redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf'), redis.call('ZCARD', KEYS[3])}
