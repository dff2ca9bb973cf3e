-- SPDX-License-Identifier: MIT
-- After wrk's own report, one line of figures for bench/serve.sh to read:
-- the rate, the median and 99th percentile latency, the responses with a
-- status of 400 or over (wrk's "Non-2xx or 3xx responses": it counts every
-- status >= 400; no route benchmarked redirects), and the socket errors
-- (connect, read, write, timeout).  Used alone for fixed URLs, and loaded
-- by the other scripts here.
--
-- Usage: wrk -s bench/wrk/report.lua URL
function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      "bench-serve: requests=%d seconds=%.2f rate=%.1f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f"
         .. " non2xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d"
         .. " bytes_per_response=%.0f\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
      e.status, e.connect + e.read + e.write + e.timeout,
      e.connect, e.read, e.write, e.timeout,
      summary.requests > 0 and summary.bytes / summary.requests or 0))
end
