# OFREP and stream figures: the kill-switch propagation load tool (plain
# executable; bench/ofrep_http.sh drives it and wrk).
add_executable(ofrep_propagation ${CMAKE_CURRENT_SOURCE_DIR}/ofrep_propagation.cc)
# The floor under the OFREP figures: a fixed answer from plain epoll
# (bench/ofrep_http.sh with FLOOR=1).
add_executable(ofrep_floor_server
               ${CMAKE_CURRENT_SOURCE_DIR}/ofrep_floor_server.cc)
