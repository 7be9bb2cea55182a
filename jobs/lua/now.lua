-- Shared by the limiter's scripts: the instant they work in, ARGV[1] when a test passes one, else the
-- Redis server's TIME in ms (so processes with skewed clocks still agree).
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
