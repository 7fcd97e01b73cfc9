#include "http/process_metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace warden {
namespace {

// A real line from a warden server (fields 1..52), with a command name
// that holds a space and a parenthesis, as prctl(PR_SET_NAME) allows.
constexpr char kStat[] =
    "4242 (warden (io) 1) S 1 4242 4242 0 -1 4194560 2750 0 0 0 "
    "731 145 0 0 20 0 37 0 889123 1468006400 9876 18446744073709551615 1 1 "
    "0 0 0 0 0 4096 17003 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

TEST(ParseProcStatTest, ReadsFieldsAfterTheLastParenthesis) {
  Result<ProcStat> stat = ParseProcStat(kStat);
  ASSERT_TRUE(stat.ok()) << stat.status().ToString();
  EXPECT_EQ(stat->utime_ticks, 731u);
  EXPECT_EQ(stat->stime_ticks, 145u);
  EXPECT_EQ(stat->start_ticks, 889123u);
  EXPECT_EQ(stat->vsize_bytes, 1468006400u);
  EXPECT_EQ(stat->rss_pages, 9876);
}

TEST(ParseProcStatTest, RefusesTruncatedAndMalformedText) {
  EXPECT_FALSE(ParseProcStat("").ok());
  EXPECT_FALSE(ParseProcStat("4242 warden S 1").ok());  // no parenthesis
  EXPECT_FALSE(ParseProcStat("4242 (warden) S 1 2 3").ok());
  std::string bad(kStat);
  bad.replace(bad.find(" 731 "), 5, " 7x1 ");
  Result<ProcStat> stat = ParseProcStat(bad);
  ASSERT_FALSE(stat.ok());
  EXPECT_EQ(stat.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stat.status().message().find("stat.utime"), std::string::npos)
      << stat.status().message();
  // A number past 64 bits is refused, not wrapped.
  std::string huge(kStat);
  huge.replace(huge.find(" 731 "), 5, " 99999999999999999999999 ");
  EXPECT_FALSE(ParseProcStat(huge).ok());
}

TEST(ParseBootTimeTest, FindsTheBtimeLine) {
  Result<uint64_t> boot = ParseBootTime(
      "cpu  1 2 3 4\ncpu0 1 2 3 4\nintr 12 0 1\nctxt 99\n"
      "btime 1765000000\nprocesses 77\n");
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  EXPECT_EQ(*boot, 1765000000u);
  EXPECT_FALSE(ParseBootTime("cpu 1 2 3\n").ok());
  EXPECT_FALSE(ParseBootTime("btime \n").ok());
  EXPECT_FALSE(ParseBootTime("btime soon\n").ok());
}

TEST(ParseMaxOpenFilesTest, TakesTheSoftLimit) {
  constexpr char kLimits[] =
      "Limit                     Soft Limit           Hard Limit           "
      "Units     \n"
      "Max cpu time              unlimited            unlimited            "
      "seconds   \n"
      "Max open files            1024                 524288               "
      "files     \n";
  Result<std::optional<uint64_t>> max = ParseMaxOpenFiles(kLimits);
  ASSERT_TRUE(max.ok()) << max.status().ToString();
  EXPECT_EQ(*max, std::optional<uint64_t>(1024));
  Result<std::optional<uint64_t>> unlimited = ParseMaxOpenFiles(
      "Max open files            unlimited            unlimited      files\n");
  ASSERT_TRUE(unlimited.ok());
  EXPECT_FALSE(unlimited->has_value());
  EXPECT_FALSE(ParseMaxOpenFiles("Max processes 10 10 processes\n").ok());
  EXPECT_FALSE(ParseMaxOpenFiles("Max open files\n").ok());
}

TEST(ToSampleTest, ConvertsTicksAndPages) {
  ProcStat stat;
  stat.utime_ticks = 250;
  stat.stime_ticks = 50;
  stat.start_ticks = 1000;
  stat.vsize_bytes = 1 << 30;
  stat.rss_pages = 100;
  ProcessSample sample = ToSample(stat, 1'700'000'000, 100, 4096);
  EXPECT_DOUBLE_EQ(sample.cpu_seconds, 3.0);
  EXPECT_DOUBLE_EQ(sample.resident_bytes, 409600.0);
  EXPECT_DOUBLE_EQ(sample.virtual_bytes, 1073741824.0);
  EXPECT_DOUBLE_EQ(sample.start_time_seconds, 1'700'000'010.0);
}

// A procfs laid out in a directory: what ProcessMetrics reads, and nothing
// else.
class FakeProc {
 public:
  FakeProc() {
    root_ = std::filesystem::temp_directory_path() /
            ("warden_fake_proc_" + std::to_string(getpid()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "self" / "fd");
    Write("stat", "cpu 1 2 3\nbtime 1700000000\n");
    Write("self/stat", kStat);
    Write("self/limits",
          "Max open files            4096                 4096      files\n");
    for (const char* fd : {"0", "1", "2"})
      Write(std::string("self/fd/") + fd, "");
  }
  ~FakeProc() { std::filesystem::remove_all(root_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(root_ / name) << text;
  }
  std::string path() const { return root_.string(); }

 private:
  std::filesystem::path root_;
};

TEST(ProcessMetricsTest, ReadsAFakeProc) {
  FakeProc proc;
  ProcessMetrics metrics(proc.path());
  Result<ProcessSample> sample = metrics.Read();
  ASSERT_TRUE(sample.ok()) << sample.status().ToString();
  const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  EXPECT_DOUBLE_EQ(sample->cpu_seconds, (731 + 145) / hz);
  EXPECT_DOUBLE_EQ(sample->start_time_seconds, 1700000000 + 889123 / hz);
  EXPECT_EQ(sample->open_fds, std::optional<double>(3));
  EXPECT_EQ(sample->max_fds, std::optional<double>(4096));

  std::string text;
  MetricsWriter writer(&text);
  metrics.Collect(writer);
  EXPECT_NE(text.find("# TYPE process_cpu_seconds_total counter\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\nprocess_max_fds 4096\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nprocess_open_fds 3\n"), std::string::npos) << text;
}

TEST(ProcessMetricsTest, MalformedStatOmitsTheFamilies) {
  FakeProc proc;
  proc.Write("self/stat", "garbage");
  ProcessMetrics metrics(proc.path());
  EXPECT_FALSE(metrics.Read().ok());
  std::string text;
  MetricsWriter writer(&text);
  metrics.Collect(writer);
  EXPECT_EQ(text, "");
}

// This very process, through the real /proc.
TEST(ProcessMetricsTest, ReadsThisProcess) {
  ProcessMetrics metrics;
  Result<ProcessSample> sample = metrics.Read();
  ASSERT_TRUE(sample.ok()) << sample.status().ToString();
  EXPECT_GT(sample->resident_bytes, 0);
  EXPECT_GE(sample->virtual_bytes, sample->resident_bytes);
  EXPECT_GE(sample->cpu_seconds, 0);
  ASSERT_TRUE(sample->open_fds.has_value());
  EXPECT_GE(*sample->open_fds, 3);  // stdin, stdout, stderr
  const double now = std::chrono::duration<double>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  // Started before now, and not before this test binary could have.
  EXPECT_LE(sample->start_time_seconds, now + 1);
  EXPECT_GT(sample->start_time_seconds, now - 24 * 3600);
}

}  // namespace
}  // namespace warden
