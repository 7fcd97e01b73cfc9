# Audit sink throughput (file, syslog over TCP) against the audit append
# rate measured in the same run.
if(TARGET warden_audit AND TARGET warden_store_sqlite)
  warden_add_bench(audit_sink_bench audit_sink_bench.cc warden_audit
                   warden_store_sqlite)
endif()
