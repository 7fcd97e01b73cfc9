# Token library: raw Ed25519 next to full access-token issue and verify.
warden_add_bench(tokens_bench tokens_bench.cc warden_tokens)
