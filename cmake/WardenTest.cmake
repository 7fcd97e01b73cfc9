# warden_add_test(NAME SOURCE LIBS...): one GoogleTest executable per
# *_test.cc, registered with CTest under its own name.
function(warden_add_test name source)
  if(NOT WARDEN_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE ${ARGN} warden_test_main GTest::gtest GTest::gmock)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES ENVIRONMENT
    "ASAN_OPTIONS=detect_leaks=1;UBSAN_OPTIONS=print_stacktrace=1;WARDEN_BINARY=${CMAKE_BINARY_DIR}/warden;WARDEN_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
endfunction()
