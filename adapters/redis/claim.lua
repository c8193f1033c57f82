-- huntbench claim script: the source of truth for the claim protocol on real Redis.
-- Its twin in the simulated world is src/engine/claim.ts (claimReply): change one, change both.
-- Portable between Redis (Lua 5.1) and ioredis-mock (fengari, Lua 5.3): no HMGET, no TIME,
-- explicit stream ids, numbers compared after tonumber(), integers formatted with %d.
--
-- KEYS[1] artifact hash {b}:artifact:<id>   fields revealAt, windowMs, reward, winner
-- KEYS[2] balance       {b}:balance:<hunter> integer
-- KEYS[3] stream        {b}:stream           diffs, MAXLEN = cap, ids <n>-0
-- KEYS[4] stream count  {b}:stream:appended  integer, entries ever appended
-- KEYS[5] idempotency   {b}:idem:<requestKey>
-- ARGV: hunter, now (ms), stream cap, pub/sub channel, artifact id, idempotency on ("1"/"0"),
--       and (optional) ms to spin first — a latency spike injected by huntbench
-- Returns {code, holder}: 1 won, 2 already (this key already won), 3 taken (holder),
-- 4 expired, 5 not revealed, 6 no such artifact.
local function present(v)
  return v ~= nil and v ~= false
end

local hunter = ARGV[1]
local now = tonumber(ARGV[2])

-- ARGV[7], only while huntbench injects a script latency spike: spin that many ms first, so
-- the script holds the server as a slow script would.
local spinMs = tonumber(ARGV[7] or "0") or 0
if spinMs > 0 then
  local t = redis.call("TIME")
  local stop = tonumber(t[1]) * 1000000 + tonumber(t[2]) + spinMs * 1000
  repeat
    t = redis.call("TIME")
  until tonumber(t[1]) * 1000000 + tonumber(t[2]) >= stop
end

local idempotent = ARGV[6] == "1"
if idempotent and redis.call("EXISTS", KEYS[5]) == 1 then
  return {2, hunter}
end
local revealAt = redis.call("HGET", KEYS[1], "revealAt")
if not present(revealAt) then
  return {6, ""}
end
revealAt = tonumber(revealAt)
if now < revealAt then
  return {5, ""}
end
if now > revealAt + tonumber(redis.call("HGET", KEYS[1], "windowMs")) then
  return {4, ""}
end
local winner = redis.call("HGET", KEYS[1], "winner")
if present(winner) then
  return {3, winner}
end
redis.call("HSET", KEYS[1], "winner", hunter)
redis.call("INCRBY", KEYS[2], tonumber(redis.call("HGET", KEYS[1], "reward")))
local n = tonumber(redis.call("INCR", KEYS[4]))
redis.call("XADD", KEYS[3], "MAXLEN", tonumber(ARGV[3]), string.format("%d-0", n), "a", ARGV[5], "h", hunter, "t", ARGV[2])
if idempotent then
  redis.call("SET", KEYS[5], "1")
end
redis.call("PUBLISH", ARGV[4], ARGV[5] .. ":" .. hunter)
return {1, hunter}
