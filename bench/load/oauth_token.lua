-- POST /oauth/token (client_credentials, client_secret_basic), cycling over
-- the clients in $OAUTH_CLIENTS (one "Basic ..." header value per line).
local headers = {}
for line in io.lines(os.getenv("OAUTH_CLIENTS")) do
  headers[#headers + 1] = line
end
local i = math.random(#headers)

request = function()
  i = i % #headers + 1
  return wrk.format("POST", "/oauth/token", {
    ["Authorization"] = headers[i],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "grant_type=client_credentials")
end
