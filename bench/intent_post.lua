-- wrk script: the rule path of POST /api/v1/intent.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"Deploy URLLC service with 1ms latency on edge01 and edge02"}'
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
