-- wrk script: POST /v1/identities with a unique name per request.
-- Env: WARDEN_TOKEN (admin token), EXPIRES_AT (RFC 3339, within policy),
-- LOAD_ID (optional: tells apart wrk processes started in the same second
-- against one database, whose thread numbers would repeat the same names).
local next_thread = 0
function setup(thread)
  thread:set("tid", next_thread)
  next_thread = next_thread + 1
end
function init(args)
  counter = 0
  prefix = string.format("bench-%s%d-%d-", os.getenv("LOAD_ID") or "",
                         os.time(), tid)
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("WARDEN_TOKEN"),
    ["Content-Type"] = "application/json",
  }
end
function request()
  counter = counter + 1
  local body = string.format(
    '{"name":"%s%d","kind":"workload","owner":"bench","application":"load",' ..
    '"environment":"development","expires_at":"%s","scopes":["orders:read"]}',
    prefix, counter, os.getenv("EXPIRES_AT"))
  return wrk.format("POST", "/v1/identities", headers, body)
end
function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
