// An input's energy counter never goes backwards or restarts at 0, whatever the config changes
// and restarts in between: the input is deleted over HTTP, the daemon restarts while it is
// deleted (so the newest record holds no counters for it), and the input is added again.
// The counters after the re-add continue those before the delete, `log check` finds neither
// damage nor a decrease, and /query's energy over the whole span is the sum of its parts, none
// negative.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/daemon_process.h"
#include "datalog/data_dir.h"
#include "datalog/log.h"

namespace iw {
namespace {

using nlohmann::json;
using testing::DaemonProcess;

// One run of the daemon on the simulator, 10x faster than the wall clock.
class DaemonRun {
 public:
  DaemonRun(const std::string& data, const std::string& name)
      : port_(testing::free_port()),
        daemon_({"run", "--http", "127.0.0.1:" + std::to_string(port_), "--data", data, "--speed", "10"},
                data + "-" + name + ".log"),
        client_("127.0.0.1", port_) {}

  // The current log's newest record time once it is at least `t` (0: timed out).
  int64_t last_record_at_least(int64_t t) {
    for (int i = 0; i < 600; ++i) {
      auto res = client_.Get("/status?datalogs");
      if (res && res->status == 200) {
        const json logs = json::parse(res->body)["datalogs"];
        const int64_t last = logs.is_array() && !logs.empty() ? logs[0]["lastkey"].get<int64_t>() : 0;
        if (last > 0 && last >= t) return last;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return 0;
  }
  json config() {
    auto res = client_.Get("/config");
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  // Posts `cfg`, confirming what the daemon asks to confirm.
  int post_config(const json& cfg) {
    auto res = client_.Post("/config", cfg.dump(), "application/json");
    if (res && res->status == 409 && res->has_header("X-Config-Confirm")) {
      res =
          client_.Post("/config?confirm=" + res->get_header_value("X-Config-Confirm"), cfg.dump(), "application/json");
    }
    return res ? res->status : 0;
  }
  json query(const std::string& q) {
    auto res = client_.Get("/query?" + q);
    EXPECT_TRUE(res && res->status == 200) << q << (res ? res->body : "");
    return res && res->status == 200 ? json::parse(res->body) : json();
  }
  int stop() { return daemon_.stop(SIGTERM); }
  std::string log() const { return daemon_.log(); }

 private:
  int port_;
  DaemonProcess daemon_;
  httplib::Client client_;
};

// The last CT input of `cfg`: the one the test deletes and adds again.
int LastCt(const json& cfg) {
  int found = -1;
  for (size_t k = 0; k < cfg["inputs"].size(); ++k) {
    const json& in = cfg["inputs"][k];
    if (in.is_object() && in.value("type", "") == "CT") found = static_cast<int>(k);
  }
  return found;
}

// The channel's import counter in every record that holds it, in time order.
std::vector<std::pair<int64_t, int64_t>> ImportCounters(const std::string& data, size_t channel) {
  std::vector<std::pair<int64_t, int64_t>> out;
  auto log = datalog::Log::OpenReadOnly(datalog::current_log_dir(data));
  EXPECT_TRUE(log.ok()) << log.error();
  if (!log.ok()) return out;
  Status st = log.value()->scan(0, INT64_MAX, [&](const datalog::Record& r) {
    if (r.holds(channel)) out.emplace_back(r.time, r.channels[channel].wh_import.micros());
    return true;
  });
  EXPECT_TRUE(st.ok()) << st.message();
  return out;
}

TEST(DaemonCounterResume, AnInputDeletedAcrossARestartContinuesItsCounters) {
  const std::string data = testing::temp_path("resume");
  json cfg;
  int ch = -1;
  std::string name;
  int64_t before = 0, deleted = 0;
  {
    DaemonRun run(data, "run1");
    before = run.last_record_at_least(1);
    ASSERT_GT(before, 0) << run.log();
    cfg = run.config();
    ch = LastCt(cfg);
    ASSERT_GE(ch, 0) << cfg.dump();
    name = cfg["inputs"][ch]["name"];
    before = run.last_record_at_least(before + 30);  // some energy on the counter
    json without = cfg;
    without["inputs"][ch] = nullptr;
    ASSERT_EQ(run.post_config(without), 200) << run.log();
    deleted = run.last_record_at_least(before + 20);  // records without the channel
    ASSERT_GT(deleted, 0) << run.log();
    ASSERT_EQ(run.stop(), 0) << run.log();
  }
  int64_t after = 0;
  {
    // Starts on a newest record that holds nothing for the channel.
    DaemonRun run(data, "run2");
    const int64_t started = run.last_record_at_least(deleted + 10);
    ASSERT_GT(started, 0) << run.log();
    ASSERT_EQ(run.post_config(cfg), 200) << run.log();
    after = run.last_record_at_least(started + 40);
    ASSERT_GT(after, 0) << run.log();
    ASSERT_EQ(run.stop(), 0) << run.log();
  }
  // The counter in the log: never lower than before, across the delete, restart and re-add.
  const auto counters = ImportCounters(data, static_cast<size_t>(ch));
  ASSERT_GT(counters.size(), 4u);
  for (size_t k = 1; k < counters.size(); ++k) {
    EXPECT_GE(counters[k].second, counters[k - 1].second) << "channel " << ch << " went back at " << counters[k].first;
  }

  // Every record readable (a live layout change starts a new segment), no counter decreasing.
  DaemonProcess check({"log", "check", "--data", data}, data + "-check.log");
  EXPECT_EQ(check.wait(std::chrono::seconds(30)), 0) << check.log();
  EXPECT_NE(check.log().find("damaged records: 0"), std::string::npos) << check.log();
  EXPECT_EQ(check.log().find("counter decreases"), std::string::npos) << check.log();

  // /query on a third run: the whole span is the sum of its parts, none negative.
  DaemonRun run(data, "run3");
  ASSERT_GT(run.last_record_at_least(after), 0) << run.log();
  int64_t readded = 0;  // the first record holding the channel again
  for (const auto& [t, wh] : counters) {
    if (t > deleted && readded == 0) readded = t;
  }
  ASSERT_GT(readded, deleted);
  auto wh = [&](int64_t b, int64_t e) {
    const json rows = run.query("select=[" + name + ".wh.d6]&begin=" + std::to_string(b) + "&end=" + std::to_string(e) +
                                "&group=all");
    EXPECT_EQ(rows.size(), 1u) << rows.dump();
    EXPECT_FALSE(rows.empty() || rows[0][0].is_null()) << b << ".." << e << " " << rows.dump();
    return rows.empty() || rows[0][0].is_null() ? -1.0 : rows[0][0].get<double>();
  };
  const double whole = wh(before - 20, after);
  const double parts = wh(before - 20, before) + wh(before, readded) + wh(readded, after);
  EXPECT_GT(whole, 0);
  EXPECT_GE(wh(before, readded), 0);
  EXPECT_NEAR(whole, parts, 1e-3);
  EXPECT_EQ(run.stop(), 0) << run.log();
  std::filesystem::remove_all(data);
}

}  // namespace
}  // namespace iw
