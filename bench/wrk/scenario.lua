-- One load scenario for wrk, described by a Lua file the harness writes (bench/harness.py).
--
--   wrk -t2 -c32 -d10s -s bench/wrk/scenario.lua http://127.0.0.1:8001 -- /tmp/.../config.lua
--
-- The config returns a table:
--   requests  list of {method=, path=, headers={...}, body=}: GETs and POSTs with their cookies,
--             CSRF token (form field and header) and body already filled in;
--   unique    true: every request is sent once (e.g. each final submit takes its own draft);
--             the threads share the list out (thread i takes i, i + threads, ...). When a
--             thread runs out, it sends nothing more and counts it as "exhausted";
--             false: the list is cycled;
--   threads   how many threads wrk runs (-t), to share the list out;
--   expect    {status={200, ...}, location=}: what a good answer is (a Lua pattern for the
--             Location header); anything else is counted as "wrong" (a 302 to a login page
--             is not a success);
--   done_file when a thread of a unique list has sent its share, it writes done_file.<n>
--             and stops, so the harness can end wrk at once (SIGINT) instead of waiting for -d.
--
-- done() prints one line "RESULT {json}" with the counts and the latency percentiles in us.

-- Globals, so that done() can read each thread's counts through thread:get().
config = nil
requests, position, stride, count, good_status = {}, 1, 1, 0, {}
wrong, exhausted, statuses = 0, 0, {}
local threads = {}
local next_index = 1

function setup(thread)
  thread:set("index", next_index)
  next_index = next_index + 1
  table.insert(threads, thread)
end

function init(args)
  config = dofile(args[1])
  for _, r in ipairs(config.requests) do
    table.insert(requests, wrk.format(r.method, r.path, r.headers, r.body))
  end
  position = wrk.thread:get("index") or 1
  stride = config.unique and (config.threads or 1) or 1
  for _, status in ipairs((config.expect or {}).status or {200}) do
    good_status[status] = true
  end
end

local function finish()
  if exhausted == 0 and config.done_file then
    local f = io.open(config.done_file .. "." .. wrk.thread:get("index"), "w")
    if f then
      f:write("done\n")
      f:close()
    end
  end
  exhausted = exhausted + 1
  wrk.thread:stop()
end

function request()
  if position > #requests then
    if config.unique then
      finish()
      return wrk.format("GET", "/exhausted/")
    end
    position = 1
  end
  local r = requests[position]
  position = position + stride
  return r
end

function response(status, headers, body)
  count = count + 1
  statuses[status] = (statuses[status] or 0) + 1
  local expect = config.expect or {}
  local good = good_status[status] == true
  if good and expect.location and expect.location ~= "" then
    local location = headers["Location"] or headers["location"] or ""
    good = string.find(location, expect.location) ~= nil
  end
  if not good then
    wrong = wrong + 1
  end
end

local function counts()
  local total = {wrong = 0, exhausted = 0, responses = 0, statuses = {}}
  for _, thread in ipairs(threads) do
    total.wrong = total.wrong + (thread:get("wrong") or 0)
    total.exhausted = total.exhausted + (thread:get("exhausted") or 0)
    total.responses = total.responses + (thread:get("count") or 0)
    local seen = thread:get("statuses") or {}
    for status, n in pairs(seen) do
      total.statuses[status] = (total.statuses[status] or 0) + n
    end
  end
  return total
end

local function statuses_json(seen)
  local parts = {}
  for status, n in pairs(seen) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests_stats)
  local total = counts()
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "status_errors": %d, ' ..
    '"wrong": %d, "exhausted": %d, "responses": %d, "statuses": %s, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.timeout, e.status,
    total.wrong, total.exhausted, total.responses, statuses_json(total.statuses),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
