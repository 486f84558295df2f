/**
 * Lua scripts that keep the conversation lanes of RedisConversationQueue consistent. Each
 * runs atomically on the Redis server, so a push, a finish and a handover never interleave.
 *
 * Keys of one lane:
 * - `lane`: LIST of JSON entries `{ id, job }`, oldest first.
 * - `owner`: id of the BullMQ job that drives the lane, set exactly while the lane has entries.
 * - `runner`: token of the latest attempt of that job, for fencing.
 * `pending` counts the entries of all lanes and bounds the queue.
 */

/**
 * KEYS: lane, pending, owner. ARGV: entry, maxPending, candidate job id.
 * Returns `{status, pending}`. Status -1: the queue is full and nothing was added. 1: the
 * lane had no owner and the caller must add the candidate job. 0: the lane's current owner
 * will reach the entry.
 */
export const PUSH = `
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
if pending >= tonumber(ARGV[2]) then return {-1, pending} end
redis.call('RPUSH', KEYS[1], ARGV[1])
pending = redis.call('INCR', KEYS[2])
if redis.call('SET', KEYS[3], ARGV[3], 'NX') then return {1, pending} end
return {0, pending}`;

/**
 * KEYS: lane, owner, runner. ARGV: job id, attempt token.
 * Starts an attempt: returns the head entry when the job owns the lane, and nil otherwise.
 * The newest attempt replaces the runner token, which fences out an older attempt of the
 * same job that BullMQ redelivered while its first worker was alive but stalled.
 */
export const ENTER = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return false end
redis.call('SET', KEYS[3], ARGV[2])
return redis.call('LINDEX', KEYS[1], 0)`;

/**
 * KEYS: lane, pending, owner, runner. ARGV: attempt token, finished entry, next job id.
 * Removes the finished entry from the head and returns `{status, pending}`. Status -1: a
 * newer attempt took over and nothing changed. 0: the lane is now empty, and its owner and
 * runner are deleted. 1: entries remain and ownership passed to `next job id`, which the
 * caller must add to BullMQ.
 */
export const FINISH = `
local pending = tonumber(redis.call('GET', KEYS[2]) or '0')
if redis.call('GET', KEYS[4]) ~= ARGV[1] then return {-1, pending} end
if redis.call('LINDEX', KEYS[1], 0) == ARGV[2] then
  redis.call('LPOP', KEYS[1])
  pending = redis.call('DECR', KEYS[2])
end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[3], KEYS[4])
  return {0, pending}
end
redis.call('SET', KEYS[3], ARGV[3])
redis.call('DEL', KEYS[4])
return {1, pending}`;

/**
 * KEYS: lane, owner, runner. ARGV: expected owner, replacement job id.
 * Used by the repair sweep when the owner job no longer exists. Returns 1 when the caller
 * must add the replacement job, 0 when the lane was empty and its owner was deleted, and
 * -1 when the owner changed meanwhile.
 */
export const REPLACE_OWNER = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
if redis.call('LLEN', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[2], KEYS[3])
  return 0
end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1`;
