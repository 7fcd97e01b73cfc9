-- wrk: OFREP single-flag evaluation (POST /ofrep/v1/evaluate/flags/KEY)
-- with an sdk token from $SDK_TOKEN and a fixed context.
wrk.method = "POST"
wrk.headers["X-API-Key"] = os.getenv("SDK_TOKEN")
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"context":{"targetingKey":"tenant-42","plan":"enterprise","region":"eu"}}'
