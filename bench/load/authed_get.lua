-- wrk script: GET the URL's path with the admin bearer token (WARDEN_TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("WARDEN_TOKEN")
function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
