// Wrapping a feature in a flag with the in-process SDK.
//
//   warden token create --role sdk --env development   # prints the token
//   flag_client_example http://127.0.0.1:8080 "$TOKEN" checkout acme
//
// Prints the flag's value for the tenant now and after every change pushed
// by the server, until interrupted (Ctrl-C) or after --once.
#include <warden/flag_client.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

void Show(const warden::FlagClient& client, const char* flag,
          const char* tenant) {
  warden::FlagDetails details = client.Evaluate(flag, {tenant, {}});
  std::printf(
      "revision %lld: %s for %s -> %s (reason %s%s%s)\n",
      static_cast<long long>(client.revision()), flag, tenant,
      details.value.is_null() ? "(default)"
                              : boost::json::serialize(details.value).c_str(),
      details.reason.c_str(), details.limit_id.empty() ? "" : ", limit ",
      details.limit_id.c_str());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s URL SDK_TOKEN FLAG TENANT [--once]\n",
                 argv[0]);
    return 2;
  }
  const bool once = argc > 5 && std::strcmp(argv[5], "--once") == 0;
  warden::FlagClientOptions options;
  options.url = argv[1];
  options.token = argv[2];
  auto client = warden::FlagClient::Start(options);
  if (!client->WaitForReady(std::chrono::seconds(10))) {
    std::fprintf(stderr, "no configuration: %s\n",
                 client->last_error().c_str());
    return 1;
  }
  Show(*client, argv[3], argv[4]);
  if (once) return 0;
  // Listeners run on the client's thread; evaluating there is fine.
  client->AddChangeListener([&](int64_t) { Show(*client, argv[3], argv[4]); });
  while (true) std::this_thread::sleep_for(std::chrono::hours(1));
}
