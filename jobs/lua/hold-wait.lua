-- Shared by rate-acquire.lua and rate-admit.lua (after now.lua): `wait`, the ms until the 429 holds of
-- the conversation (KEYS[2]) and the workspace (KEYS[3]) have passed, 0 when neither holds.
local wait = 0
for k = 2, 3 do
  local u = tonumber(redis.call('GET', KEYS[k]) or '0')
  if u > now and u - now > wait then wait = u - now end
end
