-- wrk: POST the JSON body in $BODY_FILE with "Authorization: Bearer $TOKEN"
-- (AuthZEN evaluation and evaluations requests).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.body = file:read("*a")
file:close()
