// main() of every GoogleTest executable: crypto is initialised before tests.
#include <gtest/gtest.h>

#include <cstdio>

#include "core/crypto.h"

int main(int argc, char** argv) {
  if (!warden::InitCrypto().ok()) {
    std::fprintf(stderr, "libsodium failed to initialise\n");
    return 1;
  }
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
