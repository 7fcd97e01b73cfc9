# Secret scanning: the Warden scanner next to `grep -E -r -o -f` of the same
# patterns over the same generated tree.
if(TARGET warden_discovery)
  warden_add_bench(discovery_secret_scan_bench discovery_secret_scan_bench.cc
                   warden_discovery)
endif()
