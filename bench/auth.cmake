# Authentication of API tokens, OAuth clients and console sessions: a store read per request
# against the change-feed cache, measured in the same binary.
if(TARGET warden_store_sqlite)
  warden_add_bench(auth_cache_bench auth_cache_bench.cc warden_inventory
                   warden_oauth warden_signin warden_store_sqlite)
endif()
