-- What bench/run.py asks of wrk: one JSON line of results and, when BENCH_RATE is set, a
-- paced load instead of as many requests as the server takes.
--
-- Pacing: each connection waits BENCH_CONNECTIONS * 1000 / BENCH_RATE ms after a response
-- before its next request, so that together they send about BENCH_RATE requests a second
-- (a little less: the wait comes after the response, so the rate wrk reports is the one
-- reached). Debian has no wrk2; this is its closed-loop approximation.

local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "1")

if rate > 0 then
  local pause = connections * 1000 / rate
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "status_errors": %d, ' ..
    '"socket_errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
