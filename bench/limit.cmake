# Time to limit exposure (tokens revoked, streams updated) with a real
# server in process; see docs/PERFORMANCE.md.
if(TARGET warden_server)
  add_executable(limit_time_to_limit
    ${CMAKE_CURRENT_SOURCE_DIR}/limit_time_to_limit.cc)
  target_link_libraries(limit_time_to_limit PRIVATE warden_server)
endif()
