# Access decisions of the policy language: a 50-rule policy, the AuthZEN
# interop Todo policy (read from the source tree), a batch of 100, reasons
# and load time.
if(TARGET warden_policy)
  warden_add_bench(access_bench access_bench.cc warden_policy)
  target_compile_definitions(access_bench
    PRIVATE WARDEN_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
