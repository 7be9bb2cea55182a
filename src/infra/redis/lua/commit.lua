-- Change + audit event + idempotency mark in one step; every key shares the tenant's hash tag.
-- KEYS: the project's hash, its audit stream, [its idempotency mark]. ARGV: the version read, the new
-- document, its audit event's hash, the event's body, the mark's TTL in seconds.
if #KEYS >= 3 and redis.call('EXISTS', KEYS[3]) == 1 then return 'duplicate' end
local v = redis.call('HGET', KEYS[1], 'v')
if v ~= ARGV[1] then return 'conflict' end
redis.call('HSET', KEYS[1], 'doc', ARGV[2], 'v', tostring(tonumber(v) + 1), 'head', ARGV[3])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[4], 'h', ARGV[3])
if #KEYS >= 3 then redis.call('SET', KEYS[3], '1', 'EX', ARGV[5]) end
return 'ok'
