-- SPDX-License-Identifier: MIT
-- Person reads: GET /api/v1/people/{id}, each id drawn at random from a file
-- of real ids (one a line, all of the signed-in user's organisation), so
-- that every answer should be a 200.  The session cookie comes with wrk -H.
--
-- Usage: wrk -s bench/wrk/person.lua -H "Cookie: hw_session=..." URL -- IDS_FILE
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("thread_number", threads)
end

local ids, n = {}, 0

function init(args)
   local path = args[1] or error("person.lua: give the ids file after --")
   for line in io.lines(path) do
      local id = tonumber(line)
      if id then
         n = n + 1
         ids[n] = "/api/v1/people/" .. id
      end
   end
   if n == 0 then
      error("person.lua: no ids in " .. path)
   end
   -- A different sequence in each thread and each run.
   math.randomseed(os.time() * 64 + (thread_number or 0))
end

function request()
   return wrk.format(nil, ids[math.random(n)])
end
