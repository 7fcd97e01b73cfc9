# The approval inbox and per-tenant lookups at 100,000 requests, against a
# primary-key read measured in the same run.
if(TARGET warden_approvals AND TARGET warden_store_sqlite)
  warden_add_bench(approvals_bench approvals_bench.cc warden_approvals
                   warden_store_sqlite)
endif()
