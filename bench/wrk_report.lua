-- wrk script of bench/peers.py: the requests to send, a check of every response, and a
-- JSON summary with latency percentiles.
--
-- BENCH_WRK_REQUESTS names a Lua file (written by bench/wrkload.py) that returns
--   { headers = { [name] = value, ... }, requests = { { method =, path =, body = }, ... } }
-- One request: wrk sends its static request (no Lua call per request). Several: they are
-- sent in turn, round robin (one list per wrk thread; bench/peers.py runs one thread).
--
-- A response counts as bad unless its status is 200 and its body is not empty and holds
-- no `"errors"` (GraphQL errors come with status 200).

local spec = dofile(os.getenv("BENCH_WRK_REQUESTS"))

for name, value in pairs(spec.headers) do
  wrk.headers[name] = value
end

if #spec.requests == 1 then
  local only = spec.requests[1]
  wrk.method, wrk.path, wrk.body = only.method, only.path, only.body
else
  local formatted, next_index = {}, 0
  function init(args)
    for i, item in ipairs(spec.requests) do
      formatted[i] = wrk.format(item.method, item.path, nil, item.body)
    end
  end
  function request()
    next_index = next_index % #formatted + 1
    return formatted[next_index]
  end
end

bad, bad_status = 0, 0  -- globals: done() reads them from each thread

function response(status, headers, body)
  if status ~= 200 then
    bad, bad_status = bad + 1, status
  elseif body == nil or #body == 0 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local bad_total, status = 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + thread:get("bad")
    if thread:get("bad_status") ~= 0 then
      status = thread:get("bad_status")
    end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"bad_responses":%d,'
      .. '"last_bad_status":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,'
      .. '"timeout":%d},"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,'
      .. '"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes, bad_total, status,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9)))
end
