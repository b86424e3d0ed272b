-- wrk script for bench/autosave.py: PUT one JSON answer per request, as the autosave does.
--
-- wrk -t T ... -s bench/autosave.lua URL -- ASSESSMENT_ID ITEMS_FILE T START_VERSION [COOKIE] [CSRF] [USER_AGENT]
--
-- Each wrk thread takes its own share of the items (one id per line in ITEMS_FILE) and cycles
-- through them, so two in-flight requests of a thread almost never touch the same item. Every
-- item starts at START_VERSION (0: not answered yet); then its version is tracked from the
-- responses ("version":N of a 200, or of the current answer in a 409), so nearly every request
-- is a valid save. Levels alternate between 4 and 0 (valid for maturity and yes/no items), so
-- every save changes the answer.
--
-- done() prints two parseable lines:
-- WRK requests=N duration_us=N p50_us=N p95_us=N p99_us=N max_us=N s2xx=N s409=N s_other=N
--     connect=N read=N write=N timeout=N
-- and then the whole latency histogram: WRKHIST us:count,us:count,...

local threads = {}
local thread_count = 0

function setup(thread)
   thread:set("index", thread_count)
   thread_count = thread_count + 1
   table.insert(threads, thread)
end

local items = {}
local versions = {}
local levels = {}
local counter = 0
local path_prefix = ""
local headers = {}
local start_version = 0

s2xx = 0
s409 = 0
s_other = 0

function init(args)
   local assessment_id = args[1]
   local items_file = args[2]
   path_prefix = "/api/v1/assessments/" .. assessment_id .. "/answers/"
   headers["Content-Type"] = "application/json"
   local total = tonumber(args[3]) or 1
   start_version = tonumber(args[4]) or 0
   headers["User-Agent"] = args[7] or "ctsat-bench"
   if args[5] and args[5] ~= "" then
      headers["Cookie"] = args[5]
   end
   if args[6] and args[6] ~= "" then
      headers["X-CSRFToken"] = args[6]
   end
   local all = {}
   for line in io.lines(items_file) do
      if line ~= "" then
         table.insert(all, line)
      end
   end
   -- setup() gave this thread its index before init() runs; the thread count comes in args.
   for position, item in ipairs(all) do
      if (position - 1) % total == index then
         table.insert(items, item)
      end
   end
   if #items == 0 then
      items = all
   end
end

function request()
   counter = counter + 1
   local item = items[(counter - 1) % #items + 1]
   local version = versions[item] or start_version
   local level = (levels[item] == "4") and "0" or "4"
   levels[item] = level
   local body = string.format('{"answer":"%s","version":%d}', level, version)
   return wrk.format("PUT", path_prefix .. item, headers, body)
end

function response(status, _, body)
   if status >= 200 and status < 300 then
      s2xx = s2xx + 1
   elseif status == 409 then
      s409 = s409 + 1
   else
      s_other = s_other + 1
   end
   if status == 200 or status == 409 then
      local item = string.match(body, '"item_id":"([^"]+)"')
      local version = string.match(body, '"version":(%d+)')
      if item and version then
         versions[item] = tonumber(version)
      end
   end
end

function done(summary, latency, _)
   local ok, conflicts, other = 0, 0, 0
   for _, thread in ipairs(threads) do
      ok = ok + (thread:get("s2xx") or 0)
      conflicts = conflicts + (thread:get("s409") or 0)
      other = other + (thread:get("s_other") or 0)
   end
   local errors = summary.errors
   io.write(string.format(
      "WRK requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d s2xx=%d s409=%d s_other=%d"
         .. " connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max, ok, conflicts, other,
      errors.connect, errors.read, errors.write, errors.timeout
   ))
   -- Every latency seen (microseconds:count), so runs can be merged into exact percentiles.
   local histogram = {}
   for i = 1, #latency do
      local value, count = latency(i)
      histogram[#histogram + 1] = string.format("%d:%d", value, count)
   end
   io.write("WRKHIST " .. table.concat(histogram, ",") .. "\n")
end
