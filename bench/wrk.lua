-- The load generator of the side-by-side benchmarks (bench/wrk.py): one wrk thread and one
-- keep-alive connection per learner, each with its own session cookie, so the servers see what
-- 16 signed-in learners send. wrk's threads are C; the generator takes a few per cent of a core
-- where the Python one took a third of the machine (decision 0044).
--
--   wrk -t16 -c16 -d30s -s bench/wrk.lua http://127.0.0.1:PORT -- JOBS_FILE SEED
--
-- JOBS_FILE: one learner per line, tab-separated: method, path, cookie, CSRF token, body
-- template ("" for a GET). In a body "{uuid}" becomes a fresh statement id for every request,
-- and a body may hold several statements separated by "\31" — one of them per request in turn
-- (a learner's stream, as the player sends it). The summary goes to stdout as one JSON line.

local threads = {}
local function split(text, sep)
  local parts, from = {}, 1
  while true do
    local at = string.find(text, sep, from, true)
    if not at then
      table.insert(parts, string.sub(text, from))
      return parts
    end
    table.insert(parts, string.sub(text, from, at - 1))
    from = at + #sep
  end
end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

local method, path, headers, bodies, turn
-- globals, read by done() through thread:get
items, statuses = 0, {}

function init(args)
  local jobs = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(jobs, line) end
  end
  local fields = split(jobs[((id - 1) % #jobs) + 1], "\t")
  method, path = fields[1], fields[2]
  headers = { ["Cookie"] = fields[3], ["Connection"] = "keep-alive" }
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    headers["X-CSRFToken"] = fields[4]
  end
  bodies = fields[5] ~= "" and split(fields[5], "\31") or {}
  turn = 0
  items, statuses = 0, {}
  -- a seed per run (bench/wrk.py) and per thread: no two learners, no two runs, the same ids
  math.randomseed((tonumber(args[2]) or os.time()) + id * 7919)
end

local function uuid4()
  return string.format(
    "%08x-%04x-4%03x-%04x-%04x%08x",
    math.random(0, 0xffffffff), math.random(0, 0xffff), math.random(0, 0xfff),
    0x8000 + math.random(0, 0x3fff), math.random(0, 0xffff), math.random(0, 0xffffffff)
  )
end

function request()
  if #bodies == 0 then
    return wrk.format(method, path, headers)
  end
  turn = turn % #bodies + 1
  local body, n = string.gsub(bodies[turn], "{uuid}", uuid4)
  items = items + n
  return wrk.format(method, path, headers, body)
end

function response(status, hdrs, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local codes, total_items = {}, 0
  for _, thread in ipairs(threads) do
    total_items = total_items + (thread:get("items") or 0)
    local mine = thread:get("statuses")
    for code, n in pairs(mine) do codes[code] = (codes[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%d": %d', code, n)) end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "items": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"errors": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, total_items,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    table.concat(parts, ", ")
  ))
end
