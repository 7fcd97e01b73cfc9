# Authentication of API tokens and OAuth clients: a store read per request
# against the change-feed cache, measured in the same binary.
if(TARGET warden_store_sqlite)
  warden_add_bench(auth_cache_bench auth_cache_bench.cc warden_inventory
                   warden_oauth warden_store_sqlite)
endif()
