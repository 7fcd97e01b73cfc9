-- POST /oauth/introspect of $OAUTH_TOKEN, authenticated by the admin API
-- token $WARDEN_TOKEN.
local body = "token=" .. os.getenv("OAUTH_TOKEN")
local auth = "Bearer " .. os.getenv("WARDEN_TOKEN")

request = function()
  return wrk.format("POST", "/oauth/introspect", {
    ["Authorization"] = auth,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end
