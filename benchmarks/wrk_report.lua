-- Appended to wrk's own report: one line of JSON with exact counts and latency percentiles in
-- microseconds, so benchmarks/wrk.py reads numbers instead of wrk's rounded, unit-suffixed text.
-- The credentials come from the environment: a header on wrk's command line shows in `ps`.
local authorization = os.getenv("WRK_AUTHORIZATION")
if authorization then
  wrk.headers["Authorization"] = authorization
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'wrk-report {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, ' ..
    '"p50_us": %.0f, "p90_us": %.0f, "p99_us": %.0f, "max_us": %.0f, ' ..
    '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
