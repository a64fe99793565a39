-- wrk_paths.lua at a fixed rate: the requests leave on a schedule of the given number a second
-- (spread over the threads), as independent clients send them, not as soon as an answer comes
-- back. wrk times each request from its send, so a server that falls behind shows as requests
-- that left late because every connection was still waiting: they are counted, and the rate
-- reached says so. Arguments after `--`: the file, the number of threads, the rate.
local folder = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(folder .. "wrk_paths.lua")

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } wrk_paced_timespec;
int clock_gettime(int clock, wrk_paced_timespec *now);
]])
local CLOCK_MONOTONIC = 1
local clock = ffi.new("wrk_paced_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local paths_init = init
init = function(args)
  paths_init(args)
  interval = 1000 * tonumber(args[2]) / tonumber(args[3])  -- ms between a thread's requests
  late = 0
end

-- wrk asks before each request how many milliseconds to wait; it waits whole ones, so a
-- request leaves within a millisecond of its slot and the mean rate is the schedule's.
delay = function()
  local now = now_ms()
  slot = (slot or now) + interval
  if slot < now - 1 then
    late = late + 1
    return 0
  end
  return math.max(0, math.floor(slot - now))
end

local paths_done = done
done = function(summary, latency, requests)
  paths_done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads_seen) do
    total = total + thread:get("late")
  end
  io.write(string.format('wrk-paced {"late": %.0f}\n', total))
end

local paths_setup = setup
threads_seen = {}
setup = function(thread)
  paths_setup(thread)
  table.insert(threads_seen, thread)
end
