-- Right before a post: the holds, the conversation's windows (KEYS[1]) and the workspace's windows over
-- the instants sends really started (KEYS[4]), whatever was reserved, so a worker that ran late neither
-- bunches the workspace's sends nor two of one conversation. KEYS: conversation set, its hold, the
-- workspace's hold, the workspace's started set. ARGV: now, member, the number of conversation windows,
-- then ms/max pairs (the conversation's, then the workspace's). Returns 0 and records the send in both
-- sets, or the ms until it fits (nothing recorded).
--!include now.lua
--!include hold-wait.lua
if wait > 0 then return wait end
local convEnd = 3 + 2 * tonumber(ARGV[3])
local longest = {0, 0}
for i = 4, #ARGV, 2 do
  local key = i <= convEnd and KEYS[1] or KEYS[4]
  local slot = i <= convEnd and 1 or 2
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > longest[slot] then longest[slot] = ms end
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', key, from, '+inf')
  if n >= max then
    local r = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(r[2]) + ms - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for slot = 1, 2 do
  local key = slot == 1 and KEYS[1] or KEYS[4]
  if longest[slot] > 0 then
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', now - longest[slot]))
    redis.call('PEXPIRE', key, longest[slot])
  end
end
return 0
