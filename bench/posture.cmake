# Findings, maturity and drift over a large inventory with usage history,
# against a full read of the inventory measured in the same run.
if(TARGET warden_posture AND TARGET warden_store_sqlite)
  warden_add_bench(posture_bench posture_bench.cc warden_posture
                   warden_store_sqlite)
endif()
