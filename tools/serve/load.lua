-- wrk script for both endpoints. With BODIES set (a file of request bodies, one a line, as
-- extract_reviews.py writes them) every request POSTs the next body to /v1/classify; without it
-- wrk GETs the URL's path (/health). done() prints one machine-readable RESULT line.
local file = os.getenv("BODIES")
local bodies = {}
local counter = 0

if file then
  for line in io.lines(file) do bodies[#bodies + 1] = line end
  local headers = { ["Content-Type"] = "application/json" }
  local next = 0

  -- Each wrk thread starts at its own place in the file, so threads do not send the same review.
  function setup(thread)
    thread:set("start", counter * 137)
    counter = counter + 1
  end

  function init(args)
    next = (start or 0) % #bodies
  end

  function request()
    next = next % #bodies + 1
    return wrk.format("POST", "/v1/classify", headers, bodies[next])
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d socket_errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status))
end
