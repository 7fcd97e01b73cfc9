# Audit chain verification throughput against raw SHA-256 and HMAC-SHA-256
# measured in the same run.
if(TARGET warden_audit AND TARGET warden_store_sqlite)
  warden_add_bench(audit_bench audit_bench.cc warden_audit warden_store_sqlite)
  target_link_libraries(audit_bench PRIVATE OpenSSL::Crypto)
endif()
