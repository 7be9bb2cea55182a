-- The reads an inbound starts with, in one round trip (a script, not a pipeline: ioredis copies every defined
-- command into each pipeline it makes, which on a connection BullMQ shares costs more than the reads).
-- KEYS: the person's hash, the conversation's link, [the named project's hash]; all share the tenant's hash tag.
-- Returns { lang, bound, doc, v, head }, false where there is nothing.
local lang = redis.call('HGET', KEYS[1], 'lang')
local bound = redis.call('GET', KEYS[2])
if #KEYS < 3 then return { lang, bound } end
local fields = redis.call('HMGET', KEYS[3], 'doc', 'v', 'head')
return { lang, bound, fields[1], fields[2], fields[3] }
