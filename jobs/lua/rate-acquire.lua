-- Sliding windows over one sorted set of send times per conversation, and one per workspace (tenant),
-- shared by every worker process. KEYS: the conversation's set, its hold, the workspace's hold, the
-- workspace's set. ARGV: now, member, reserve (1/0), the number of conversation windows, then ms/max pairs
-- of the conversation's windows followed by the workspace's. Returns {wait, 0} when a 429 holds the
-- conversation or workspace back or the conversation's windows are full (nothing recorded). Otherwise the
-- workspace's windows give the earliest instant at or after now that fits: sends are recorded in time
-- order, evenly spaced (ms/max apart) and never more than max in a window, so a broadcast reaches the
-- platform as a smooth stream that a late worker cannot bunch over the limit. With reserve=1, or when
-- that instant is now, the instant is recorded in the workspace's set and {0, in} returned (in = ms until
-- the reserved instant); the conversation's own send is recorded by rate-admit.lua when it really starts. With
-- reserve=0 (no workspace windows) the send is recorded in the conversation's set now, or {wait, 0}. Time is the server's (TIME), so processes
-- with skewed clocks still agree; tests may pass ARGV[1] instead.
--!include now.lua
--!include hold-wait.lua
if wait > 0 then return {wait, 0} end
local convEnd = 4 + 2 * tonumber(ARGV[4])
local longest = 0
for i = 5, convEnd, 2 do
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > longest then longest = ms end
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if n >= max then
    local r = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(r[2]) + ms - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {wait, 0} end
local at = now
local widest = 0
for i = convEnd + 1, #ARGV, 2 do
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > widest then widest = ms end
  local n = redis.call('ZCARD', KEYS[4])
  if n >= max then
    local r = redis.call('ZRANGE', KEYS[4], n - max, n - max, 'WITHSCORES')
    local t = tonumber(r[2]) + ms
    if t > at then at = t end
  end
  if n > 0 then
    local last = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')
    local t = tonumber(last[2]) + ms / max
    if t > at then at = t end
  end
end
if at > now and ARGV[3] ~= '1' then return {math.ceil(at - now), 0} end
if longest > 0 and ARGV[3] ~= '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - longest))
  redis.call('PEXPIRE', KEYS[1], longest)
end
if widest > 0 then
  redis.call('ZADD', KEYS[4], at, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', string.format('%d', now - widest))
  redis.call('PEXPIRE', KEYS[4], math.ceil(widest + at - now))
end
return {0, math.ceil(at - now)}
