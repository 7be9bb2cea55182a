-- New entries of a batch in one step: HSETNX leaves an existing entry (even a sent one) alone.
-- KEYS: the batch's ledger. ARGV: ttl (ms), then field/value pairs.
for i = 2, #ARGV, 2 do redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
