# Store write throughput against a raw-SQLite durable-insert baseline.
if(TARGET warden_store_sqlite)
  warden_add_bench(store_bench store_bench.cc warden_store_sqlite)
endif()
