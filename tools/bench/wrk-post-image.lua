-- wrk script: POST one image file as the raw body of every request (keydet serve's /v1/detect), and report the
-- answers by status, the rate of 200s and the latency percentiles of all answers.
-- Usage: IMAGE=detector-examples/samples/astronaut.png wrk -t2 -c16 -d20s -s tools/bench/wrk-post-image.lua \
--          http://127.0.0.1:8080/v1/detect
local path = os.getenv("IMAGE") or "detector-examples/samples/astronaut.png"
local f = assert(io.open(path, "rb"))
local image = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = image
wrk.headers["Content-Type"] = path:match("%.jpe?g$") and "image/jpeg" or "image/png"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, busy, timeout, other = 0, 0, 0, 0
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 and body:find('"code":"timeout"', 1, true) then
    timeout = timeout + 1
  elseif status == 503 then
    busy = busy + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, b, w, x = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    o, b, w, x = o + t:get("ok"), b + t:get("busy"), w + t:get("timeout"), x + t:get("other")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT 200/s %.2f  p50 %.1f ms  p99 %.1f ms  200: %d  503 overloaded: %d  503 timeout: %d  other: %d  errors: %d\n",
    o / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, o, b, w, x,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
