-- Sends each request path of a file once, in order, across threads: thread i of T sends the
-- lines i, i+T, i+2T ... (wrk runs one Lua state per thread). Arguments after `--`: the file
-- and T. A thread that runs out of lines starts its lines again and counts the repeats.
-- wrk_report.lua's line is printed, then one line with what each thread sent.
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk_report.lua")

local threads = {}
local count = 0

setup = function(thread)
  thread:set("index", count)
  count = count + 1
  table.insert(threads, thread)
end

init = function(args)
  local file, total = args[1], tonumber(args[2])
  paths = {}
  local number = 0
  for line in io.lines(file) do
    if number % total == index and line ~= "" then
      table.insert(paths, line)
    end
    number = number + 1
  end
  if #paths == 0 then
    error("no request paths for thread " .. index .. " in " .. file)
  end
  sent = 0
  repeated = 0
end

request = function()
  local position = sent % #paths + 1
  if sent >= #paths then
    repeated = repeated + 1
  end
  sent = sent + 1
  return wrk.format(nil, paths[position])
end

local report = done
done = function(summary, latency, requests)
  report(summary, latency, requests)
  local sent_by_thread, repeats = {}, 0
  for _, thread in ipairs(threads) do
    table.insert(sent_by_thread, string.format("%.0f", thread:get("sent")))
    repeats = repeats + thread:get("repeated")
  end
  io.write(string.format('wrk-paths {"sent": [%s], "repeated": %.0f}\n',
    table.concat(sent_by_thread, ", "), repeats))
end
