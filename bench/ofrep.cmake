# OFREP and stream figures: the kill-switch propagation load tool (plain
# executable; bench/ofrep_http.sh drives it and wrk).
add_executable(ofrep_propagation ${CMAKE_CURRENT_SOURCE_DIR}/ofrep_propagation.cc)
