-- wrk script of the benchmark (devtools/bench/runner.py): counts the answers that
-- are not 200 (wrk itself only counts those above 399) and prints one line of
-- JSON with the latency percentiles, in microseconds.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

init = function(args)
  not_ok = 0
end

response = function(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("not_ok") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "not_200": %d, "errors": %d, "timeouts": %d, '
      .. '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean
  ))
end
