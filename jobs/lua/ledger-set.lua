-- One entry changes state atomically. `sent` is final; `sending` is refused once `failed` (only an
-- explicit retry puts a failed entry back to `pending`). Returns the state before the change.
-- KEYS: the batch's ledger. ARGV: field, to, at, reason, messageId, target (JSON), ttl (ms), mode.
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local e = cur and cjson.decode(cur) or { attempts = 0 }
local prev = e.state or 'none'
local to, mode = ARGV[2], ARGV[8]
if prev == 'sent' then return prev end
if mode == 'register' and cur then return prev end
if to == 'sending' and mode ~= 'note' then
  if prev == 'failed' then return prev end
  e.attempts = (tonumber(e.attempts) or 0) + 1
end
e.state = to
e.updatedAt = ARGV[3]
if ARGV[4] ~= '' then e.reason = ARGV[4] elseif to == 'sent' or mode == 'register' then e.reason = nil end
if ARGV[5] ~= '' then e.messageId = ARGV[5] end
if ARGV[6] ~= '' then e.target = cjson.decode(ARGV[6]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return prev
