-- New entries of a batch in one step: HSETNX leaves an existing entry (even a sent one) alone. Each new
-- entry is pending, so it adds one to the batch's count of entries not yet ended (see ledger-set.lua).
-- KEYS: the batch's ledger, its count of entries not yet ended. ARGV: ttl (ms), then field/value pairs.
local added = 0
for i = 2, #ARGV, 2 do added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if added > 0 then redis.call('INCRBY', KEYS[2], added) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
return 0
