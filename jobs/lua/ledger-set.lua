-- One entry changes state atomically. `sent` is final; `sending` is refused once `failed` (only an
-- explicit retry puts a failed entry back to `pending`). Returns the state before the change.
-- `mayBePosted` says an attempt began whose post may have reached the platform: every begin sets it, and
-- it survives every way back to `pending` (a retry, a stalled job), so the next run looks before it posts.
-- Only the engine clears it ('0'), when it knows nothing of this message reached the platform.
-- KEYS: the batch's ledger, its count of entries not yet ended (neither sent nor failed). ARGV: field, to,
-- at, reason, messageId, target (JSON), ttl (ms), mode, mayBePosted ('1', '0', or '' to leave it).
-- The count is a hint that lets the worker skip reading the whole ledger after each message while others
-- are still on their way: it is kept here and in ledger-register.lua, and may only ever be too low (a
-- ledger from before the count existed), never too high, since a reader confirms 0 from the entries.
local cur = redis.call('HGET', KEYS[1], ARGV[1])
local e = cur and cjson.decode(cur) or { attempts = 0 }
local prev = e.state or 'none'
local to, mode, maybe = ARGV[2], ARGV[8], ARGV[9]
if prev == 'sent' then return prev end
if mode == 'register' and cur then return prev end
if to == 'sending' and mode ~= 'note' then
  if prev == 'failed' then return prev end
  e.attempts = (tonumber(e.attempts) or 0) + 1
  maybe = '1'
end
-- An entry written before the flag existed that was left `sending` may have been posted.
if maybe == '' and e.mayBePosted == nil and prev == 'sending' then maybe = '1' end
if maybe == '1' then e.mayBePosted = true elseif maybe == '0' then e.mayBePosted = false end
e.state = to
e.updatedAt = ARGV[3]
if ARGV[4] ~= '' then e.reason = ARGV[4] elseif to == 'sent' or mode == 'register' then e.reason = nil end
if ARGV[5] ~= '' then e.messageId = ARGV[5] end
if ARGV[6] ~= '' then e.target = cjson.decode(ARGV[6]) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(e))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
local function open(state) return (state ~= 'none' and state ~= 'sent' and state ~= 'failed') and 1 or 0 end
local delta = open(to) - open(prev)
if delta ~= 0 then redis.call('INCRBY', KEYS[2], delta) end
if delta ~= 0 or redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[7]) end
return prev
