# Loads a data dir with N identities (and their audit records) for the
# scale figures of docs/PERFORMANCE.md; see bench/load/scale.sh.
if(TARGET warden_store_sqlite)
  add_executable(inventory_loader inventory_loader.cc)
  target_link_libraries(inventory_loader PRIVATE warden_store_sqlite)
endif()
# Loads a data dir with N tenants and one N-member segment for the
# kill-switch figures at scale; see bench/ofrep_http.sh (TENANTS=N).
if(TARGET warden_store_sqlite)
  add_executable(exposure_loader exposure_loader.cc)
  target_link_libraries(exposure_loader PRIVATE warden_store_sqlite)
endif()
