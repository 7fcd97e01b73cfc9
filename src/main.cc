// The warden binary: every command lives in the cli layer.
#include "cli/cli_main.h"

int main(int argc, char** argv) { return warden::CliMain(argc, argv); }
