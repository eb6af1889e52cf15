// `iotawatt import` end to end: an original IoTaWatt iotalog.log is imported, its totals
// match, `log check` is clean, and the daemon continues counting from it.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "app/daemon_process.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"

namespace iw {
namespace {

using testing::DaemonProcess;

// The original's 256-byte record (firmware reference 4.2), little-endian.
void WriteOriginalRecord(std::ofstream& out, uint32_t time, int32_t serial, double hours, const double (&a1)[15],
                         const double (&a2)[15]) {
  char rec[256] = {};
  std::memcpy(rec, &time, 4);
  std::memcpy(rec + 4, &serial, 4);
  std::memcpy(rec + 8, &hours, 8);
  std::memcpy(rec + 16, a1, 120);
  std::memcpy(rec + 136, a2, 120);
  out.write(rec, sizeof rec);
}

TEST(Import, OriginalLogTotalsMatchAndTheDaemonContinues) {
  const auto root = std::filesystem::temp_directory_path() / ("iotawatt-import-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  const std::string file = (root / "iotalog.log").string();
  const std::string data = (root / "data").string();
  // 2000 records at 5 s, ending an hour ago: a 230 V 50 Hz VT, a 1 kW load, a solar channel
  // exporting 500 W (signed: its Wh goes down).
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const uint32_t first = static_cast<uint32_t>((now - 3600) / 5 * 5 - 2000 * 5);
  double a1[15] = {}, a2[15] = {}, hours = 0;
  {
    std::ofstream out(file, std::ios::binary);
    for (int k = 0; k < 2000; ++k) {
      const double h = 5.0 / 3600;
      hours += h;
      a1[0] += 230 * h;
      a2[0] += 50 * h;
      a1[1] += 1000 * h;
      a2[1] += 1100 * h;
      a1[2] -= 500 * h;
      a2[2] += 510 * h;
      WriteOriginalRecord(out, first + static_cast<uint32_t>(5 * k), k + 1, hours, a1, a2);
    }
  }
  DaemonProcess import({"import", "--data", data, file}, (root / "import.log").string());
  ASSERT_EQ(import.wait(std::chrono::seconds(60)), 0) << import.log();

  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data));
  ASSERT_TRUE(log.ok()) << log.error();
  auto last = log.value()->last();
  ASSERT_TRUE(last.ok() && last.value());
  const datalog::Record& r = *last.value();
  EXPECT_EQ(r.time, first + 5 * 1999);
  EXPECT_NEAR(r.channels[1].wh_import.value(), a1[1], 1e-6);
  EXPECT_NEAR(r.channels[1].vah.value(), a2[1], 1e-6);
  EXPECT_NEAR(r.channels[2].wh_import.value() - r.channels[2].wh_export.value(), a1[2], 1e-6);
  EXPECT_NEAR(r.channels[0].vh.value(), a1[0], 1e-6);
  EXPECT_NEAR(r.channels[0].hzh.value(), a2[0], 1e-6);
  EXPECT_NEAR(static_cast<double>(r.monitored_us), hours * 3.6e9, 1);

  DaemonProcess check({"log", "check", "--data", data}, (root / "check.log").string());
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 0) << check.log();
  EXPECT_NE(check.log().find("2000 record(s)"), std::string::npos) << check.log();

  auto history = datalog::Log::OpenReadOnly(datalog::history_log_dir(data));
  ASSERT_TRUE(history.ok()) << history.error();
  auto minute = history.value()->last();
  ASSERT_TRUE(minute.ok() && minute.value());
  EXPECT_EQ(minute.value()->time % 60, 0);
  EXPECT_GT(minute.value()->time, r.time - 60);

  // Importing again imports nothing and says why.
  DaemonProcess again({"import", "--data", data, file}, (root / "again.log").string());
  EXPECT_EQ(again.wait(std::chrono::seconds(60)), 0) << again.log();
  EXPECT_NE(again.log().find("skipped"), std::string::npos) << again.log();

  // The daemon continues the imported counters.
  const int port = testing::free_port();
  DaemonProcess daemon({"run", "--data", data, "--http", "127.0.0.1:" + std::to_string(port), "--speed", "4"},
                       (root / "run.log").string());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(daemon.stop(SIGTERM), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("continuing the counters of the record at " + std::to_string(r.time)), std::string::npos)
      << daemon.log();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace iw
