-- wrk script: a plain GET, with the summary of summary.lua.
dofile(debug.getinfo(1, "S").source:sub(2):match("(.*/)") .. "summary.lua")
