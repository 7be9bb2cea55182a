-- Holds a conversation (or a workspace) back until an instant, never shortening a longer hold.
-- KEYS: the hold. ARGV: now (or ''), the hold's length in ms. Returns the instant it holds until.
--!include now.lua
local untilMs = now + tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], string.format('%d', untilMs), 'PX', ARGV[2]) end
return untilMs
