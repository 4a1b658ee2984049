-- make loadtest: wrk requests /api/search with the queries of bench/queries.tsv in turn (the query,
-- then optional tab-separated filters question=Q, category=ID or NAME=VALUE), 20 hits a page
-- with every filter's counts, as the page asks. Prints p50/p90/p99 and the failures at the end.

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for line in io.lines("bench/queries.tsv") do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    local fields = {}
    for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
    local query = { "limit=20", "q=" .. encode(fields[1] or "") }
    for i = 2, #fields do
      local name, value = fields[i]:match("^([^=]+)=(.*)$")
      if name == "question" or name == "category" then
        query[#query + 1] = name .. "=" .. encode(value)
      elseif name then
        query[#query + 1] = "where=" .. encode(name .. "=" .. value)
      end
    end
    paths[#paths + 1] = "/api/search?" .. table.concat(query, "&")
  end
end
-- The page with nothing typed yet: every answer through the filters and counts.
paths[#paths + 1] = "/api/search?limit=20"

local counter = 0
local threads = 0

-- Each thread starts at a different query.
function setup(thread)
  thread:set("offset", threads * 37)
  threads = threads + 1
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function done(summary, latency, requests)
  local ms = function(us) return string.format("%.1f ms", us / 1000) end
  io.write(string.format(
    "loadtest: %d requests in %.1f s (%.0f/s), %d errors, %d non-200; latency p50 %s, p90 %s, p99 %s, max %s\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max)))
end
