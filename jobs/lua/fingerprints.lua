-- The fingerprint each job (KEYS: job hashes, one slot) was planned with: 0 when the job is gone, '' when its data is unreadable.
local out = {}
for i, key in ipairs(KEYS) do
  local data = redis.call('HGET', key, 'data')
  if not data then out[i] = 0 else
    local ok, job = pcall(cjson.decode, data)
    if ok and type(job) == 'table' and type(job.fingerprint) == 'string' then out[i] = job.fingerprint else out[i] = '' end
  end
end
return out
