--[[
  load-event: builds an event's Redis state from PostgreSQL (its layout and sold seats), atomically, once. Runs
  when an event is created and whenever a replica finds the state missing (Redis restarted empty). A second
  loader finds `ready` set and does nothing, so concurrent loaders cannot overwrite holds or sales made since.
  KEYS[1] meta  KEYS[2] free  KEYS[3] held  KEYS[4] exp  KEYS[5] sold  KEYS[6] seat key prefix (see seats-6.lua)
  ARGV[1] holdTtlMs  ARGV[2] capacity  ARGV[3] section ids "A,B"  ARGV[4] seat counts "500,20"
  ARGV[5..] sold seats as triples: seatId, token, userId
  Returns 1 loaded | 0 already loaded
]]
if redis.call('HGET', KEYS[1], 'ready') then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
local ids, counts, index = {}, {}, {}
for id in string.gmatch(ARGV[3], '[^,]+') do
  ids[#ids + 1] = id
  index[id] = #ids - 1
end
for c in string.gmatch(ARGV[4], '[^,]+') do counts[#counts + 1] = tonumber(c) end
local fields = {'ttl', ARGV[1], 'cap', ARGV[2], 'order', ARGV[3]}
for i, id in ipairs(ids) do
  fields[#fields + 1] = 'i:' .. id
  fields[#fields + 1] = i - 1
  fields[#fields + 1] = 's:' .. id
  fields[#fields + 1] = counts[i]
end
redis.call('HSET', KEYS[1], unpack(fields))
local sold = {}
for i = 5, #ARGV, 3 do
  local seat = ARGV[i]
  sold[seat] = true
  redis.call('SET', KEYS[6] .. seat, 'S|' .. ARGV[i + 1] .. '|' .. ARGV[i + 2])
  local sec, n = string.match(seat, '^(.*)%-(%d+)$')
  redis.call('ZADD', KEYS[5], index[sec] * 262144 + tonumber(n), seat)
end
local batch = {}
for i, id in ipairs(ids) do
  local base = (i - 1) * 262144
  for n = 1, counts[i] do
    local seat = id .. '-' .. n
    if not sold[seat] then
      batch[#batch + 1] = base + n
      batch[#batch + 1] = seat
      if #batch >= 2000 then
        redis.call('ZADD', KEYS[2], unpack(batch))
        batch = {}
      end
    end
  end
end
if #batch > 0 then redis.call('ZADD', KEYS[2], unpack(batch)) end
redis.call('HSET', KEYS[1], 'ready', '1')
return 1
