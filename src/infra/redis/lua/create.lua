-- A new project, its first audit event, its channel's link and its place in the tenant's index in one step.
-- KEYS: the project's hash, its audit stream, the channel's link, the tenant's project set. ARGV: the
-- document, the event's hash, the event's body, the project id. An existing link wins: {'exists', its id}.
local existing = redis.call('GET', KEYS[3])
if existing then return {'exists', existing} end
redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'v', '1', 'head', ARGV[2])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[3], 'h', ARGV[2])
redis.call('SET', KEYS[3], ARGV[4])
redis.call('SADD', KEYS[4], ARGV[4])
return {'created', ARGV[4]}
