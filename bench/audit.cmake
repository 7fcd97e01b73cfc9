# Audit chain verification throughput against raw SHA-256 and HMAC-SHA-256
# measured in the same run, and the online check's hold on writers.
if(TARGET warden_audit AND TARGET warden_store_sqlite AND TARGET warden_server)
  # warden_server: the online check POST /v1/audit/verify runs.
  warden_add_bench(audit_bench audit_bench.cc warden_audit warden_store_sqlite
                   warden_server)
  target_link_libraries(audit_bench PRIVATE OpenSSL::Crypto)
endif()

# Audit retention: archive + prune against offline verification, same run.
if(TARGET warden_audit AND TARGET warden_store_sqlite)
  warden_add_bench(audit_retention_bench audit_retention_bench.cc warden_audit
                   warden_store_sqlite)
endif()
