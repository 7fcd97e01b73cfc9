# Release reverse views and the gate loader at 10,000 releases, against a
# primary-key read measured in the same run.
if(TARGET warden_releases AND TARGET warden_store_sqlite)
  warden_add_bench(releases_bench releases_bench.cc warden_releases
                   warden_store_sqlite)
endif()
