# Flag evaluation against a hand-written loop doing the same work, JsonLogic
# fractional, and snapshot build time / memory at scale.
if(TARGET warden_eval)
  warden_add_bench(eval_bench eval_bench.cc warden_eval)
endif()
