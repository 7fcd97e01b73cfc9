-- wrk script (bench/soak.sh): POST /v1/identities with a unique name per
-- request, pausing $DELAY_MS (default 0) per connection between requests;
-- the id of every identity answered 201 is appended to the file
-- $SOAK_IDS.<thread>, so the soak can check afterwards that every
-- acknowledged write is there. Any other status goes to stderr.
-- Env: WARDEN_TOKEN (admin token), EXPIRES_AT (RFC 3339), SOAK_IDS.
local next_thread = 0
function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  counter = 0
  pause = tonumber(os.getenv("DELAY_MS") or "0")
  prefix = string.format("soak-%d-%d-", os.time(), tid)
  ids = io.open(os.getenv("SOAK_IDS") .. "." .. tid, "a")
  ids:setvbuf("line")
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("WARDEN_TOKEN"),
    ["Content-Type"] = "application/json",
  }
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"%s%d","kind":"workload","owner":"bench","application":"soak",' ..
    '"environment":"development","expires_at":"%s","scopes":["orders:read"]}',
    prefix, counter, os.getenv("EXPIRES_AT"))
  return wrk.format("POST", "/v1/identities", headers, body)
end
function delay()
  return pause
end
function response(status, headers, body)
  if status == 201 then
    ids:write(string.match(body, '"id":"([^"]+)"'), "\n")
  else
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
