# Certificates and the secret store: issuance and envelope
# encryption next to the raw primitives they are built on.
if(TARGET warden_pki AND TARGET warden_secrets)
  warden_add_bench(pki_bench pki_bench.cc warden_pki warden_secrets)
endif()
