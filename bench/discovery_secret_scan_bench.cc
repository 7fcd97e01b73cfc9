// Secret scanning throughput: the Warden scanner (keyword prefilter, then
// RE2 on the lines with a hit) against the baseline of GNU grep running the
// same rules' patterns (their POSIX ERE form, one per line of a -f file)
// over the same generated source tree, measured in the same run. Prints
// MB/s of both and their ratio at the end.
//
// The tree: WARDEN_BENCH_SECRETS_MB (default 50) MB of code-like text in
// 200 KB files, with a few generated fake secrets planted; or an existing
// tree named by WARDEN_BENCH_SECRETS_TREE.
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "discovery/secret_scanner.h"

namespace warden::discovery {
namespace {

namespace fs = std::filesystem;

constexpr size_t kFileBytes = 200 << 10;

// Line templates a code base is made of, several heavy with the words
// secret rules key on ("key", "token", "auth", "api", "secret", "://") but
// holding no secret. '@' becomes a random identifier and '%' a random
// number, so that the text does not repeat.
const char* const kLines[] = {
    "    if (request.headers.get(\"@\") is None):",
    "        return self.api_client.get(f\"{@}/v%/@\", timeout=%)",
    "const @ = await auth.getAccessToken({ scopes: ['@'] });",
    "for (size_t i = 0; i < @.size(); ++i) @ += @[@[i]];",
    "  // See https://docs.example.org/@/@ for the key format.",
    "export function @(@: string): @ | undefined {",
    "    @_password = forms.CharField(widget=forms.PasswordInput)",
    "func (c *@) @(ctx context.Context, req *http.Request) error {",
    "  private static final Logger @ = LoggerFactory.getLogger(@.class);",
    "SELECT @, @, created_at FROM @ WHERE tenant_id = $%;",
    "        self.cache[key] = @  # evicted by the LRU after % minutes",
    "  api_version: v%  # keep in sync with the server's /api/v% routes",
    "    let @ = AccessToken::from_claims(&@, &signing_key)?;",
    "}",
    "",
    "import { @ } from '@';",
    "    assert response.status_code == %, @.text",
    "  url = \"https://github.com/@/@/blob/main/@.md\"",
    "#define @ %  /* bytes, including the terminator */",
    "    @ = @(@, @)  # @ @ @",
    "  return @ * % + @->@;",
    "  } else if (@ != nullptr && @.@(%)) {",
    "      @.@(@, @, %);",
};

std::string Expand(const char* line, std::mt19937_64& rng) {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz_";
  std::uniform_int_distribution<int> letter(0, 26);
  std::uniform_int_distribution<int> length(3, 12);
  std::uniform_int_distribution<int> number(0, 99999);
  std::string out;
  for (const char* c = line; *c != '\0'; ++c) {
    if (*c == '@') {
      for (int i = length(rng); i > 0; --i)
        out.push_back(kLetters[letter(rng)]);
    } else if (*c == '%') {
      out += std::to_string(number(rng));
    } else {
      out.push_back(*c);
    }
  }
  return out;
}

struct Tree {
  fs::path root;
  fs::path patterns;
  fs::path provider_patterns;  // without the generic rules
  int64_t bytes = 0;
  bool generated = true;
};

// An existing tree (WARDEN_BENCH_SECRETS_TREE, e.g. /usr/include): real
// code instead of the generated text. Counts regular files only, as both
// scanners skip symbolic links (grep -r does not follow them either).
Tree* ExistingTree(const char* path) {
  auto* t = new Tree();
  t->root = path;
  for (const auto& entry : fs::recursive_directory_iterator(
           t->root, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && !entry.is_symlink()) {
      t->bytes += static_cast<int64_t>(entry.file_size());
    }
  }
  return t;
}

void WritePatterns(Tree* t) {
  t->patterns =
      fs::temp_directory_path() /
      ("warden-secret-bench-" + std::to_string(::getpid()) + ".patterns");
  t->provider_patterns = t->patterns.string() + ".providers";
  std::ofstream patterns(t->patterns);
  std::ofstream providers(t->provider_patterns);
  for (const SecretRule& rule : BuiltinSecretRules().rules()) {
    patterns << rule.ere << "\n";
    if (!rule.generic) providers << rule.ere << "\n";
  }
}

const Tree& TheTree() {
  static const Tree* const tree = [] {
    if (const char* existing = std::getenv("WARDEN_BENCH_SECRETS_TREE")) {
      Tree* t = ExistingTree(existing);
      t->generated = false;
      WritePatterns(t);
      return t;
    }
    auto* t = new Tree();
    size_t megabytes = 50;
    if (const char* env = std::getenv("WARDEN_BENCH_SECRETS_MB")) {
      megabytes = std::strtoul(env, nullptr, 10);
    }
    t->root = fs::temp_directory_path() /
              ("warden-secret-bench-" + std::to_string(::getpid()));
    fs::create_directories(t->root);
    std::mt19937_64 rng(42);
    std::uniform_int_distribution<size_t> pick(0, std::size(kLines) - 1);
    const std::vector<SecretRule>& rules = BuiltinSecretRules().rules();
    size_t files = megabytes * (1 << 20) / kFileBytes;
    for (size_t f = 0; f < files; ++f) {
      fs::path dir = t->root / ("pkg" + std::to_string(f % 16));
      fs::create_directories(dir);
      std::string text;
      while (text.size() < kFileBytes) {
        text += Expand(kLines[pick(rng)], rng);
        text += '\n';
      }
      if (f % 10 == 0) {  // a planted secret in every tenth file
        std::string secret;
        text += SampleSecretLine(rules[f % rules.size()], rng, &secret) + "\n";
      }
      std::ofstream(dir / ("file" + std::to_string(f) + ".txt"),
                    std::ios::binary)
          << text;
      t->bytes += static_cast<int64_t>(text.size());
    }
    WritePatterns(t);
    return t;
  }();
  return *tree;
}

double g_warden_mb_per_s = 0;
double g_grep_mb_per_s = 0;
double g_grep_providers_mb_per_s = 0;

double MegabytesPerSecond(const benchmark::State& state, int64_t bytes,
                          double seconds) {
  return static_cast<double>(bytes) * static_cast<double>(state.iterations()) /
         (1 << 20) / seconds;
}

void BM_WardenSecretScan(benchmark::State& state) {
  const Tree& tree = TheTree();
  auto scanner = SecretScanner::Create({}).value();
  size_t found = 0;
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    ScanReport report = scanner->Scan(tree.root.string(), {});
    found = report.observations.size();
    benchmark::DoNotOptimize(report);
  }
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  state.SetBytesProcessed(tree.bytes * state.iterations());
  state.counters["findings"] = static_cast<double>(found);
  g_warden_mb_per_s = MegabytesPerSecond(state, tree.bytes, elapsed.count());
}
BENCHMARK(BM_WardenSecretScan)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

// Runs `grep -E -r -o -f patterns tree` per iteration; returns MB/s.
double RunGrep(benchmark::State& state, const fs::path& patterns) {
  const Tree& tree = TheTree();
  std::string command = "LC_ALL=C grep -E -r -o -f '" + patterns.string() +
                        "' '" + tree.root.string() + "' > /dev/null";
  auto start = std::chrono::steady_clock::now();
  for (auto _ : state) {
    int status = std::system(command.c_str());
    // grep exits 1 when nothing matched, 2 on error.
    if (status == -1 || WEXITSTATUS(status) > 1) {
      state.SkipWithError("grep failed");
      return 0;
    }
  }
  std::chrono::duration<double> elapsed =
      std::chrono::steady_clock::now() - start;
  state.SetBytesProcessed(tree.bytes * state.iterations());
  return MegabytesPerSecond(state, tree.bytes, elapsed.count());
}

void BM_GrepExtendedRegexpBaseline(benchmark::State& state) {
  g_grep_mb_per_s = RunGrep(state, TheTree().patterns);
}
BENCHMARK(BM_GrepExtendedRegexpBaseline)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// The same without the two generic rules, whose patterns GNU grep finds
// hardest: grep's figure on the provider rules alone.
void BM_GrepProviderRulesOnly(benchmark::State& state) {
  g_grep_providers_mb_per_s = RunGrep(state, TheTree().provider_patterns);
}
BENCHMARK(BM_GrepProviderRulesOnly)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace warden::discovery

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  using warden::discovery::g_grep_mb_per_s;
  using warden::discovery::g_warden_mb_per_s;
  const auto& tree = warden::discovery::TheTree();
  std::printf("\nsecret scan over %.1f MB, %zu rules:\n",
              static_cast<double>(tree.bytes) / (1 << 20),
              warden::discovery::BuiltinSecretRules().rules().size());
  std::printf("  warden         %8.1f MB/s\n", g_warden_mb_per_s);
  std::printf("  grep -E -r -o  %8.1f MB/s\n", g_grep_mb_per_s);
  std::printf("  grep, provider rules only  %8.1f MB/s\n",
              warden::discovery::g_grep_providers_mb_per_s);
  if (g_grep_mb_per_s > 0) {
    std::printf("  ratio warden/grep: %.1fx\n",
                g_warden_mb_per_s / g_grep_mb_per_s);
  }
  if (warden::discovery::g_grep_providers_mb_per_s > 0) {
    std::printf(
        "  ratio warden/grep (provider rules only): %.1fx\n",
        g_warden_mb_per_s / warden::discovery::g_grep_providers_mb_per_s);
  }
  std::error_code ignored;
  if (tree.generated) std::filesystem::remove_all(tree.root, ignored);
  std::filesystem::remove(tree.patterns, ignored);
  std::filesystem::remove(tree.provider_patterns, ignored);
  return 0;
}
