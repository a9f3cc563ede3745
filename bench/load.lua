-- load.lua - the request mix of bench/load.sh: mostly the reads the web UI
-- makes, some writes.  LOAD_TOKEN (a bearer token) and LOAD_ACCOUNTS (the
-- number of demo accounts, ids a-000001 ...) come from the environment.
local token = os.getenv("LOAD_TOKEN")
local accounts = tonumber(os.getenv("LOAD_ACCOUNTS"))
local industries = {"Logistics", "Software", "Retail", "Healthcare"}

-- wrk.format() sends wrk.headers only when it is given no headers of its
-- own, so the writes name the token again.
local auth = "Bearer " .. token
wrk.headers["Authorization"] = auth

function setup(thread)
  thread:set("seed", math.random(1, 1000000))
end

function init(args)
  math.randomseed(seed or os.time())
end

local function account()
  return string.format("a-%06d", math.random(1, accounts))
end

request = function()
  local r = math.random(1, 100)
  if r <= 40 then
    return wrk.format("GET", "/api/v1/accounts/" .. account() .. "/page")
  elseif r <= 55 then
    return wrk.format("GET", "/api/v1/accounts?status=customer&limit=25&offset="
      .. math.random(0, 200))
  elseif r <= 65 then
    return wrk.format("GET", "/api/v1/deals?stage=closed_won&limit=50")
  elseif r <= 75 then
    return wrk.format("GET", "/api/v1/inbox?limit=20")
  elseif r <= 85 then
    return wrk.format("GET", "/api/v1/tasks")
  elseif r <= 95 then
    -- A write that needs If-Match: "*" takes the record as it is.
    local body = string.format('{"industry": "%s"}',
      industries[math.random(1, #industries)])
    return wrk.format("PATCH", "/api/v1/accounts/" .. account(),
      {["Authorization"] = auth, ["If-Match"] = "*",
       ["Content-Type"] = "application/json"}, body)
  else
    return wrk.format("POST", "/api/v1/inbox/read",
      {["Authorization"] = auth, ["Content-Type"] = "application/json"}, "{}")
  end
end
